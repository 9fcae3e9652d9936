#!/usr/bin/env bash
# Regenerates the service's own spoken prompts (G.711 mu-law, 8 kHz, mono, headerless), played
# straight onto a Media Stream when the voice agent provider cannot speak. Needs espeak-ng and
# sox (Debian: apt-get install espeak-ng sox). The generated files are committed.
set -euo pipefail
cd "$(dirname "$0")/../src/telephony/prompts"
say() {
  local name=$1 text=$2
  espeak-ng -v en-us -s 155 -w "/tmp/prompt-$name.wav" "$text"
  sox "/tmp/prompt-$name.wav" -r 8000 -c 1 -e mu-law -t raw "$name.ulaw" pad 0 0.2
  rm -f "/tmp/prompt-$name.wav"
}
say hold "One moment, please."
say apology "I'm sorry, I'm having technical trouble on my end."
say goodbye "Please call us back in a few minutes. Goodbye."
ls -l ./*.ulaw
