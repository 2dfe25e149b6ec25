"""A paced 3102 pusher for scripts/faults.sh: one settlement per call, at a fixed rate, each call
retried with the same msgid until intake answers (as a HIS does), so a kill or restart loses
nothing and records nothing twice. The settlements are the test fixture's (reference/kb person,
doctor, consultation and amoxicillin), each with its own encounter, settlement and trace codes.
Used when `medsup demo` is unavailable; it drives no reviewers, so no cases follow.
    fault_pusher.py <intake-url> <operator-token> <count> <calls-per-second>"""
import json, random, sys, time, urllib.error, urllib.request

INSTITUTION, PERSON, DOCTOR = "H43010000001", "43010000000000000001", "D430100000001"


def call(url, token, body=None, method="POST"):
    request = urllib.request.Request(url, data=body, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def settlement(n):
    codes = ["8100000" + "%013d" % random.randrange(10 ** 13) for _ in range(2)]
    encounter = {
        "mdtrt_id": f"FAULT{n:08d}", "setl_id": f"S{n:08d}", "medins_id": INSTITUTION, "med_mdtrt_type": "1",
        "adm_date": "2026-11-20 09:00:00", "dscg_date": "2026-11-20 09:20:00", "dscg_main_dise_codg": "J06.9",
        "dr_codg": DOCTOR, "medfee_sumamt": 37.6, "medins_lv": "3",
        "fsi_diagnose_dtos": [{"dise_codg": "J06.9", "maindise_flag": "1"}],
        "fsi_order_dtos": [
            {"rx_id": "1", "hilist_code": "110200001", "hilist_type": "201", "cnt": 1, "pric": 12, "sumamt": 12,
             "fee_ocur_time": "2026-11-20 09:05:00"},
            {"rx_id": "2", "hilist_code": "XJ01CA04A00101010140000", "hilist_type": "101", "cnt": 2, "pric": 12.8,
             "sumamt": 25.6, "fee_ocur_time": "2026-11-20 09:10:00", "drug_trac_codg": codes}]}
    msgid = INSTITUTION + "20261121" + "%06d" % (n // 10000) + "%04d" % (n % 10000)
    return msgid, json.dumps({"infno": "3102", "msgid": msgid, "fixmedins_code": INSTITUTION, "inf_time": "2026-11-20 09:30:00",
                              "input": {"data": {"trig_scen": "6", "patient_dtos": [
                                  {"patn_id": PERSON, "gend": "1", "brdy": "1961-06-16", "fsi_encounter_dtos": [encounter]}]}}}).encode()


def main():
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
