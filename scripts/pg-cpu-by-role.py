#!/usr/bin/env python3
"""PostgreSQL's CPU time by role, for scripts/profile.sh: every postgres process is sampled from
/proc until STOP_FILE exists, so that short-lived ones (autovacuum workers) are counted too.
A session is named by the process at its socket's other end (NAMES_FILE: lines of `pid name`,
written by profile.sh at the end, when the pools' sessions are the run's); a background process by
its title (autovacuum worker, walwriter, checkpointer ...); any other session as such.
Usage: pg-cpu-by-role.py STOP_FILE NAMES_FILE CLAIMS"""
import collections, os, sys, time

stop_file, names_file, claims = sys.argv[1], sys.argv[2], int(sys.argv[3])
hz = os.sysconf('SC_CLK_TCK')
first, last, title = {}, {}, {}


def sample(started):
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                cmd = f.read().replace(b'\0', b' ').decode(errors='replace').strip()
            with open(f'/proc/{pid}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if not cmd.startswith('postgres'):
            continue
        ticks = int(fields[11]) + int(fields[12])
        # A process first seen after the start did all its work within the run.
        first.setdefault(pid, ticks if not started else 0)
        last[pid], title[pid] = ticks, cmd


sample(False)
while not os.path.exists(stop_file):
    time.sleep(0.25)
    sample(True)
names = {}
if os.path.exists(names_file):
    with open(names_file) as f:
        names = dict(line.split(None, 1) for line in f if len(line.split(None, 1)) == 2)


def role(pid):
    if pid in names:
        return 'sessions of ' + names[pid].strip()
    words = title[pid].split(':', 1)[1].split() if ':' in title[pid] else ['postmaster']
    if words[0] in ('autovacuum', 'background', 'logical'):
        return ' '.join(words[:2])
    return words[0] if words[0] in ('postmaster', 'checkpointer', 'walwriter', 'archiver', 'startup') else 'other sessions'


by_role = collections.Counter()
for pid in last:
    by_role[role(pid)] += last[pid] - first[pid]
for name, ticks in by_role.most_common():
    if ticks:
        print(f'{ticks * 1e6 / hz / claims:9.0f} µs  {name}')
