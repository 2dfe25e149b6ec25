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
