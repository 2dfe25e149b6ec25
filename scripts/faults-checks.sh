# The checks of scripts/faults.sh (sourced): the SQL that decides lost and doubled, and waits
# for the platform to catch up. Needs RUN_DIR, PG_PORT and lib.sh.
SCHEMAS="intake smart_review credit notification"

# Every event any service has put in its outbox.
all_outbox() {
  local query="" s
  for s in $SCHEMAS; do
    query+="${query:+ UNION ALL }SELECT '$s' AS producer, event_id, topic, created_at, published_at, members FROM $s.outbox"
  done
  echo "($query)"
}
# Events, not rows: a row of intake's stands for a round of claims (its members).
unpublished() {
  sql "SELECT coalesce(sum(CASE WHEN members IS NULL THEN 1 ELSE json_array_length(members::json) END), 0) FROM $(all_outbox) o WHERE published_at IS NULL"
}

# Per consumer (schema.name): the topics it has taken events from, and how many events of those
# topics are in no inbox row and no dead letter of it. Derived from the data, so a consumer added
# later is checked without editing this script.
hop_report() {
  local s
  for s in $SCHEMAS; do
    sql "WITH o AS (SELECT * FROM $(all_outbox) x), topics AS (
           SELECT DISTINCT i.consumer, o.topic FROM $s.inbox i JOIN o ON o.event_id = i.event_id)
         SELECT '$s.' || t.consumer, string_agg(DISTINCT t.topic, ','),
                (SELECT count(*) FROM o WHERE o.topic IN (SELECT topic FROM topics WHERE consumer = t.consumer)
                   AND NOT EXISTS (SELECT 1 FROM $s.inbox i WHERE i.consumer = t.consumer AND i.event_id = o.event_id)
                   AND NOT EXISTS (SELECT 1 FROM $s.dead_letters d WHERE d.consumer = t.consumer AND d.event_id = o.event_id))
         FROM topics t GROUP BY t.consumer"
  done
}
hops_lost() { hop_report | awk -F'|' '{ n += $3 } END { print n + 0 }'; }
# claims.accepted events leave intake's outbox once published (their payload is the claim, which
# stays), so the hop report cannot see them: the claims accepted whose event smart-review has not
# taken (not in its archive, which is that consumer's memory instead of an inbox; no dead letter)
# are counted from intake's claims instead.
claims_untaken() {
  sql "SELECT count(*) FROM intake.claims c
        WHERE NOT EXISTS (SELECT 1 FROM smart_review.claims s WHERE s.claim_id = c.claim_id)
          AND NOT EXISTS (SELECT 1 FROM smart_review.dead_letters d WHERE d.event_id = 'claim-accepted:' || c.claim_id)"
}
in_flight() { echo $(( $(unpublished) + $(hops_lost) + $(claims_untaken) )); }
accepted() { sql "SELECT count(*) FROM intake.claims"; }
# Claims of the 3102 probes (fault_pusher.py probe), counted apart from the load's.
probe_claims() { sql "SELECT count(*) FROM intake.claims WHERE mdtrt_id LIKE 'PROBE%'"; }
# Probe calls intake answered with infcode 0: each must be a claim.
probe_accepted() { cat "$RUN_DIR"/pg-*-probes.txt 2>/dev/null | awk '$1 == "3102" && $4 == "0"' | wc -l; }
reviewed() { sql "SELECT count(DISTINCT claim_id) FROM smart_review.reviews"; }

# The dead letters the poison events must leave (faults-inject.sh: poison_events), each as
# "schema|condition": the oversized outbox row with the broker's refusal, the record without
# CloudEvents headers and the one whose body is no claim, with their reading errors.
expected_dead_letters() {
  echo "intake|source = 'outbox' AND event_id = '${POISON_ID:-none}' AND error LIKE '%MSG_SIZE_TOO_LARGE%'"
  echo "smart_review|consumer = 'claims' AND event_id IS NULL AND error LIKE '%has no ce_specversion header%'"
  echo "smart_review|consumer = 'claims' AND event_id = '${MALFORMED_ID:-none}' AND error LIKE '%cannot be read%'"
}
# How many of the expected dead letters are not there (yet).
poison_pending() {
  local missing=0 schema condition
  while IFS='|' read -r schema condition; do
    [ "$(sql "SELECT count(*) FROM $schema.dead_letters WHERE $condition")" -gt 0 ] || missing=$((missing + 1))
  done < <(expected_dead_letters)
  echo "$missing"
}
# Every dead letter: schema | source | consumer | topic | event id | error (its first 120 characters).
dead_letter_report() {
  local s
  for s in $SCHEMAS; do sql "SELECT '$s', source, consumer, topic, coalesce(event_id, '-'), left(error, 120) FROM $s.dead_letters ORDER BY id"; done
}
# Dead letters that are none of the expected ones: events that should have flowed.
dead_letters_unexpected() {
  local s n=0 schema condition expected
  for s in $SCHEMAS; do
    expected="false"
    while IFS='|' read -r schema condition; do [ "$schema" = "$s" ] && expected+=" OR ($condition)"; done < <(expected_dead_letters)
    n=$((n + $(sql "SELECT count(*) FROM $s.dead_letters WHERE NOT ($expected)")))
  done
  echo "$n"
}

wait_for() { # condition-function limit-seconds: until it prints 0
  for _ in $(seq 1 "$2"); do [ "$($1)" -eq 0 ] && return 0; sleep 1; done; return 1
}

converge() {
  for _ in $(seq 1 180); do
    [ "$(in_flight)" -eq 0 ] && [ "$(reviewed)" -ge "$(accepted)" ] && return 0; sleep 1
  done
  say "warning: not converged after 180 s"
}

# Cases (review.outcomes → credit.cases, by case_id) and notices (notification.deliveries, by id):
# each case in credit once, each due delivery delivered (not pending, not dead); what the demo's
# receivers counted twice is in its own summary (webhook-id duplicates).
cases_and_deliveries() {
  local outcomes missing pending case_of="convert_from(o.payload, 'UTF8')::jsonb->>'case_id'"
  outcomes=$(sql "SELECT count(DISTINCT $case_of) FROM smart_review.outbox o WHERE topic = 'review.outcomes'")
  if [ "$outcomes" -eq 0 ]; then
    say "cases and deliveries: no case was decided in this run (the bench and the python pusher drive no reviewers), nothing to check"; return
  fi
  missing=$(sql "SELECT count(DISTINCT $case_of) FROM smart_review.outbox o WHERE topic = 'review.outcomes'
                 AND NOT EXISTS (SELECT 1 FROM credit.cases c WHERE c.case_id = $case_of)")
  pending=$(sql "SELECT count(*) FROM notification.deliveries WHERE status <> 'delivered'")
  say "cases: $outcomes in review.outcomes, $(sql "SELECT count(*) FROM credit.cases") in credit ($missing missing);" \
      "deliveries: $(sql "SELECT count(*) FROM notification.deliveries") ($pending not delivered)"
  say "receivers (demo's summary): $(grep -iE 'duplicate|receiver' "$RUN_DIR/demo.out" | tail -3 | tr '\n' ' ')"
  CASE_LOST=$((missing + pending))
}

report() {
  local acc rev lost doubled kills="" s probes pushed dead unexpected missing
  acc=$(accepted); rev=$(reviewed); probes=$(probe_claims); pushed=$((acc - probes))
  doubled=$(sql "SELECT (SELECT count(*) FROM (SELECT claim_id FROM smart_review.reviews GROUP BY claim_id, rule_set_version HAVING count(*) > 1) r)
                     + (SELECT count(*) FROM (SELECT claim_id, rule_id, body->>'explanation' FROM smart_review.findings GROUP BY 1, 2, 3 HAVING count(*) > 1) f)
                     + (SELECT count(*) FROM (SELECT mdtrt_id FROM intake.claims GROUP BY medins_id, mdtrt_id, setl_id HAVING count(*) > 1) c)")
  dead=0; for s in $SCHEMAS; do dead=$((dead + $(sql "SELECT count(*) FROM $s.dead_letters"))); done
  unexpected=$(dead_letters_unexpected); missing=$(poison_pending)
  for s in "${SERVICES[@]}"; do kills+="$s ${KILLED[$s]:-0}, "; done
  say "event hops (consumer | topics | events not received):"; hop_report | sed 's/^/[faults]   /'
  say "dead letters (schema | source | consumer | topic | event | error):"; dead_letter_report | sed 's/^/[faults]   /'
  cases_and_deliveries
  # Claims not accepted, accepted but not reviewed, probe settlements answered 0 but not stored,
  # events never published or never received, dead letters other than the injected ones, injected
  # poison not parked, cases or deliveries missing.
  # (smart-review's claims hop is the accepted-but-not-reviewed count already, so it is left out.)
  local other_hops probe_lost
  other_hops=$(hop_report | awk -F'|' '$1 != "smart_review.claims" { n += $3 } END { print n + 0 }')
  probe_lost=$(( $(probe_accepted) > probes ? $(probe_accepted) - probes : 0 ))
  lost=$(( (COUNT > pushed ? COUNT - pushed : 0) + (acc > rev ? acc - rev : 0) + probe_lost + $(unpublished) + other_hops
           + unexpected + missing + ${CASE_LOST:-0} ))
  say "settlements pushed $COUNT (claims/s: $PUSH_RATE), claims accepted $pushed (+ $probes of the 3102 probes, $(probe_accepted) answered 0), reviewed $rev, findings $(sql "SELECT count(*) FROM smart_review.findings")"
  say "faults injected, and what came of them:"
  say "  SIGKILL ${kills%, }: every service restarted and caught up (checks below)"
  say "  two reviewers, SIGKILL of smart-review-2 at ${ACCEPTED_AT_FAILOVER:-?} claims accepted: $((acc - ${ACCEPTED_AT_FAILOVER:-0})) accepted after it, all reviewed by the survivor: $([ "$rev" -ge "$acc" ] && echo yes || echo no)"
  say "  poison: oversized outbox row + 2 malformed records: $((3 - missing)) of 3 dead-lettered as expected, $unexpected other dead letters ($dead rows in all)"
  say "  PostgreSQL restart: probes $PG_PROBES"
  say "  PostgreSQL hung ${HANG:-0} s: probes $HANG_PROBES ${HANG_HELD:-0} held > 5 s; unanswered within ${PROBE_LIMIT} s (restart and hang): $PROBES_UNANSWERED"
  say "  broker outage ${OUTAGE:-0} s: ${OUTAGE_HELD:-0} events held in the outbox, ${OUTAGE_PUBLISHED:-0} published after"
  say "lost $lost, doubled $doubled"
  [ "$lost" -eq 0 ] && [ "$doubled" -eq 0 ] && [ "$PROBES_UNANSWERED" -eq 0 ]
}
