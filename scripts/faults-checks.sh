# The checks of scripts/faults.sh (sourced): the SQL that decides lost and doubled, and waits
# for the platform to catch up. Needs RUN_DIR, PG_PORT and lib.sh.
SCHEMAS="intake smart_review credit notification"

# Every event any service has put in its outbox.
all_outbox() {
  local query="" s
  for s in $SCHEMAS; do
    query+="${query:+ UNION ALL }SELECT '$s' AS producer, event_id, topic, created_at, published_at FROM $s.outbox"
  done
  echo "($query)"
}
unpublished() { sql "SELECT count(*) FROM $(all_outbox) o WHERE published_at IS NULL"; }

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
in_flight() { echo $(( $(unpublished) + $(hops_lost) )); }
accepted() { sql "SELECT count(*) FROM intake.claims"; }
reviewed() { sql "SELECT count(DISTINCT claim_id) FROM smart_review.reviews"; }

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
    say "TODO cases and deliveries: the demo decided no case in this run, so there was nothing to check"; return
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
  local acc rev lost doubled dead kills="" s
  acc=$(accepted); rev=$(reviewed)
  doubled=$(sql "SELECT (SELECT count(*) FROM (SELECT claim_id FROM smart_review.reviews GROUP BY claim_id, rule_set_version HAVING count(*) > 1) r)
                     + (SELECT count(*) FROM (SELECT claim_id, rule_id, body->>'explanation' FROM smart_review.findings GROUP BY 1, 2, 3 HAVING count(*) > 1) f)
                     + (SELECT count(*) FROM (SELECT mdtrt_id FROM intake.claims GROUP BY medins_id, mdtrt_id, setl_id HAVING count(*) > 1) c)")
  dead=0; for s in $SCHEMAS; do dead=$((dead + $(sql "SELECT count(*) FROM $s.dead_letters"))); done
  for s in "${SERVICES[@]}"; do kills+="$s ${KILLED[$s]:-0}, "; done
  say "event hops (consumer | topics | events not received):"; hop_report | sed 's/^/[faults]   /'
  cases_and_deliveries
  # Claims not accepted, accepted but not reviewed, events never published or never received,
  # cases or deliveries missing.
  # (smart-review's claims hop is the accepted-but-not-reviewed count already, so it is left out.)
  local other_hops
  other_hops=$(hop_report | awk -F'|' '$1 != "smart_review.claims" { n += $3 } END { print n + 0 }')
  lost=$(( (COUNT > acc ? COUNT - acc : 0) + (acc > rev ? acc - rev : 0) + $(unpublished) + other_hops + dead + ${CASE_LOST:-0} ))
  say "settlements pushed $COUNT, claims accepted $acc, reviewed $rev, findings $(sql "SELECT count(*) FROM smart_review.findings")"
  say "faults injected: SIGKILL ${kills%, }; PostgreSQL restart 1; broker outage ${OUTAGE:-0} s: ${OUTAGE_HELD:-0} events held in the outbox, ${OUTAGE_PUBLISHED:-0} published after"
  say "lost $lost, doubled $doubled (dead letters $dead)"
  [ "$lost" -eq 0 ] && [ "$doubled" -eq 0 ]
}
