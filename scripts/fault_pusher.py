"""A paced 3102 pusher for scripts/faults.sh: one settlement per call, at a fixed rate, each call
retried with the same msgid until intake answers (as a HIS does), so a kill or restart loses
nothing and records nothing twice. The settlements are the test fixture's (reference/kb person,
doctor, consultation and amoxicillin), each with its own encounter, settlement and trace codes.
Used when `medsup demo` is unavailable; it drives no reviewers, so no cases follow.
    fault_pusher.py <intake-url> <operator-token> <count> <calls-per-second>
The probe mode is scripts/faults.sh's 3102 probe while PostgreSQL is away: for <seconds>, a call
every 0.25 s, each on its own thread (no retry: a 503 is the answer being measured), as an
institution of the run's own reference copy that the load does not use, with the credential the
credential mode issued it before the fault (issuing needs the database); each settlement's
mdtrt_id starts PROBE, so the checks count them apart. Prints "3102 <http-status> <seconds>
<infcode>" per call ("000" when no answer within PROBE_TIMEOUT).
    fault_pusher.py credential <intake-url> <operator-token> <institution>   (prints the secret)
    fault_pusher.py probe <intake-url> <institution>:<secret> <seconds> <first-number>"""
import json, random, sys, threading, time, urllib.error, urllib.request

INSTITUTION, PERSON, DOCTOR = "H43010000001", "43010000000000000001", "D430100000001"
PROBE_TIMEOUT = 40  # as PROBE_LIMIT in faults-inject.sh: it outlasts the 30 s hang


def call(url, token, body=None, method="POST"):
    request = urllib.request.Request(url, data=body, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def settlement(n, institution=INSTITUTION, prefix="FAULT", day="20261121"):
    codes = ["8100000" + "%013d" % random.randrange(10 ** 13) for _ in range(2)]
    encounter = {
        "mdtrt_id": f"{prefix}{n:08d}", "setl_id": f"S{prefix}{n:08d}", "medins_id": institution, "med_mdtrt_type": "1",
        "adm_date": "2026-11-20 09:00:00", "dscg_date": "2026-11-20 09:20:00", "dscg_main_dise_codg": "J06.9",
        "dr_codg": DOCTOR, "medfee_sumamt": 37.6, "medins_lv": "3",
        "fsi_diagnose_dtos": [{"dise_codg": "J06.9", "maindise_flag": "1"}],
        "fsi_order_dtos": [
            {"rx_id": "1", "hilist_code": "110200001", "hilist_type": "201", "cnt": 1, "pric": 12, "sumamt": 12,
             "fee_ocur_time": "2026-11-20 09:05:00"},
            {"rx_id": "2", "hilist_code": "XJ01CA04A00101010140000", "hilist_type": "101", "cnt": 2, "pric": 12.8,
             "sumamt": 25.6, "fee_ocur_time": "2026-11-20 09:10:00", "drug_trac_codg": codes}]}
    msgid = institution + day + "%06d" % (n // 10000) + "%04d" % (n % 10000)
    return msgid, json.dumps({"infno": "3102", "msgid": msgid, "fixmedins_code": institution, "inf_time": "2026-11-20 09:30:00",
                              "input": {"data": {"trig_scen": "6", "patient_dtos": [
                                  {"patn_id": PERSON, "gend": "1", "brdy": "1961-06-16", "fsi_encounter_dtos": [encounter]}]}}}).encode()


def probe(intake, credential, seconds, first):
    """A call every 0.25 s, each on its own thread: one held call does not hold back the next."""
    institution = credential.split(":")[0]
    lock, threads = threading.Lock(), []

    def one(n):
        _, body = settlement(n, institution, "PROBE", "20261205")
        request = urllib.request.Request(f"{intake}/api/his", data=body, method="POST", headers={
            "Authorization": f"Bearer {credential}", "Content-Type": "application/json"})
        started, status, infcode = time.monotonic(), "000", "-"
        try:
            with urllib.request.urlopen(request, timeout=PROBE_TIMEOUT) as response:
                status, infcode = response.status, json.load(response).get("infcode")
        except urllib.error.HTTPError as refusal:
            status = refusal.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        with lock:
            print(f"3102 {status} {time.monotonic() - started:.3f} {infcode}", flush=True)

    until, n = time.monotonic() + seconds, first
    while time.monotonic() < until:
        threads.append(threading.Thread(target=one, args=(n,)))
        threads[-1].start()
        n += 1
        time.sleep(0.25)
    for thread in threads:
        thread.join()


def main():
    if sys.argv[1] == "credential":
        return print(call(f"{sys.argv[2]}/api/admin/credentials/{sys.argv[4]}", sys.argv[3], method="PUT")["secret"])
    if sys.argv[1] == "probe":
        return probe(sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]))
    intake, token, count, rate = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    secret = call(f"{intake}/api/admin/credentials/{INSTITUTION}", token, method="PUT")["secret"]
    start, retries = time.monotonic(), 0
    for n in range(count):
        time.sleep(max(0.0, start + n / rate - time.monotonic()))
        msgid, body = settlement(n)
        for attempt in range(240):
            try:
                answer = call(f"{intake}/api/his", f"{INSTITUTION}:{secret}", body)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
                retries += 1
                time.sleep(0.5)
        else:
            sys.exit(f"{msgid}: no answer after 120 s")
        if answer.get("infcode") != 0:
            sys.exit(f"{msgid} refused: {answer.get('err_msg')}")
    print(f"pushed {count} settlements through 3102, {retries} retried calls")


if __name__ == "__main__":
    main()
