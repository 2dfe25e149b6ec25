"""schemathesis hooks for scripts/fuzz.sh: intake's reference files (text/csv) and bulk uploads
(application/x-ndjson) are text bodies, sent as the built-in text/plain serializer sends them."""
import schemathesis

schemathesis.serializer.alias(["text/csv", "application/x-ndjson"], "text/plain")
