# The local demo's simulated Twilio, shared by `npm run demo` (the service) and `npm run call` (the caller):
# the service's real Twilio REST client talks to the simulated Twilio that `npm run call` plays on port 4100,
# so a transfer to a person rings, whispers and falls back as it would at Twilio. Set any of these to override.
export TWILIO_ACCOUNT_SID="${TWILIO_ACCOUNT_SID:-AC00000000000000000000000000000001}"
export TWILIO_AUTH_TOKEN="${TWILIO_AUTH_TOKEN:-local-demo-twilio-auth-token}"
export TWILIO_API_BASE_URL="${TWILIO_API_BASE_URL:-http://127.0.0.1:4100}"
export HUMAN_QUEUE_TARGET="${HUMAN_QUEUE_TARGET:-+15550100}"
