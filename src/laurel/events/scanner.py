"""The camera QR scanner of the gate page: what it needs beyond the site's strict policy.

The scanner (events/static/events/scanner.js) decodes with zxing-wasm, installed from npm at
set-up and served from our static files under vendor/zxing-wasm/. Compiling its WebAssembly
needs 'wasm-unsafe-eval' in script-src, which allows WebAssembly from our own files and no
eval of JavaScript. Only a page that carries the scanner gets it: decorate its view with
`scanner_page`, and give the page the two static URLs below.
"""

from csp.decorators import csp_update

SCANNER_LIBRARY = "vendor/zxing-wasm/index.js"
SCANNER_WASM = "vendor/zxing-wasm/zxing_reader.wasm"
# Checks a ticket's signature on the device when the network is down (gate_offline.js):
# @noble/ed25519 from npm, an ES module loaded by import().
ED25519_LIBRARY = "vendor/noble-ed25519/index.js"

scanner_page = csp_update({"script-src": ["'wasm-unsafe-eval'"]})
