// The gate without the network. While the network is up, the device keeps the event's ticket
// list (events:gate_offline_list: the public key, the tickets revoked, each ticket's holder,
// booth and slot and its code's check value; no numbers, no code in clear). When a scan cannot
// reach the server, it is checked here instead: a QR payload by its Ed25519 signature
// (@noble/ed25519, from our static files), a typed code by its check value (PBKDF2, the
// browser's own Web Crypto); this device refuses its own duplicates at once, and keeps each
// scan let in (its own key, the ticket's id, when) in localStorage until the network is back,
// then sends them (events:gate_sync) — the server keeps the earliest scan of a ticket and
// records the others as duplicates naming both devices. The page shows how many scans wait
// to be sent and when they last were. A service worker keeps the page for a reload offline.
//
// Words come from the page (data-label-* on #gate-offline, {name} filled in); this file has
// none. Everything shown is set as text, never as HTML.
(function () {
  "use strict";

  var LIST_REFRESH_MS = 60 * 1000; // a list older than this is fetched again when online
  var TICK_MS = 10 * 1000; // how often the page tries to send and refresh while online
  var USED_KEYS_KEPT = 100;
  var REQUEST_TIMEOUT_MS = 8 * 1000; // a request to the server given up after this
  var PAYLOAD = /^L1\.([1-9A-Z][0-9A-Z]{0,12})\.([1-9A-Z][0-9A-Z]{0,12})\.([0-9A-Za-z_-]{86})$/;
  var CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  var panel, labels, storageKey, state, byId, byCode;
  var offline = false; // the last request to the server failed
  var syncing = false;
  var ed25519 = null; // the library, once imported

  // --- storage: one JSON value per event in localStorage -----------------------------------

  function load() {
    var kept = null;
    try {
      kept = JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (error) {
      kept = null;
    }
    state = kept || {};
    state.pending = state.pending || []; // scans let in, not yet sent
    state.seen = state.seen || {}; // ticket id -> {at, device}: checked in as this device knows
    state.usedKeys = state.usedKeys || []; // idempotency keys this device has sent
    state.problems = state.problems || []; // scans the server refused once sent
    index();
  }

  function save() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(state));
    } catch (error) {
      // storage full or refused: the scans stay in memory while the page is open
    }
  }

  function index() {
    byId = {};
    byCode = {};
    var tickets = (state.list && state.list.tickets) || [];
    tickets.forEach(function (ticket) {
      byId[ticket.id] = ticket;
      (byCode[ticket.code] = byCode[ticket.code] || []).push(ticket);
    });
  }

  // --- words ------------------------------------------------------------------------------

  function say(name, values) {
    var text = labels[name] || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function clock(iso) {
    var moment = new Date(iso);
    return isNaN(moment) ? "" : moment.toLocaleTimeString([], { hour12: false });
  }

  // --- the status the page shows ----------------------------------------------------------

  function render() {
    var online = navigator.onLine && !offline;
    var network = document.getElementById("offline-network");
    network.textContent = say(online ? "online" : "offline");
    network.dataset.online = online ? "true" : "false";
    panel.classList.toggle("is-offline", !online);

    var pending = document.getElementById("offline-pending");
    pending.textContent = say("pending", { n: state.pending.length });
    pending.dataset.pending = String(state.pending.length);

    var synced = document.getElementById("offline-synced");
    synced.textContent = state.syncedAt ? say("synced", { time: clock(state.syncedAt) }) : say("never");
    synced.dataset.synced = state.syncedAt || "";

    var list = document.getElementById("offline-list");
    if (state.list) {
      list.textContent = say("list", {
        n: state.list.tickets.length,
        time: clock(state.list.made_at),
      });
      list.dataset.tickets = String(state.list.tickets.length);
    } else {
      list.textContent = say("no-list");
      list.dataset.tickets = "";
    }

    var problems = document.getElementById("offline-problems");
    problems.replaceChildren();
    state.problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = say("problem", { message: problem.message });
      problems.appendChild(item);
    });
    problems.hidden = state.problems.length === 0;
  }

  // --- the answer shown for a scan checked here ---------------------------------------------

  function show(ok, reason, message, ticket) {
    var result = document.getElementById("scan-result");
    result.className = "gate-result " + (ok ? "ok" : "refused");
    result.dataset.result = ok ? "ok" : reason;
    result.dataset.offline = "true";
    result.replaceChildren();
    function line(className, text, id) {
      var paragraph = document.createElement("p");
      paragraph.className = className;
      if (id) {
        paragraph.id = id;
      }
      paragraph.textContent = text;
      result.appendChild(paragraph);
    }
    line("gate-verdict", say(ok ? "verdict-ok" : "verdict-refused"));
    if (ticket && ticket.holder) {
      line("gate-holder", ticket.holder, "result-holder");
      var where = [ticket.team, boothName(ticket.booth), ticket.slot].filter(Boolean).join(" ");
      if (where) {
        line("gate-where", where);
      }
    }
    line("gate-message", message, "result-message");
    document.dispatchEvent(new CustomEvent("gate:answered"));
  }

  function boothName(boothId) {
    var booths = (state.list && state.list.booths) || {};
    return boothId ? booths[String(boothId)] || "" : "";
  }

  // --- checking a scan on this device -------------------------------------------------------

  function base64Bytes(text) {
    var plain = text.replace(/-/g, "+").replace(/_/g, "/");
    while (plain.length % 4) {
      plain += "=";
    }
    var binary = window.atob(plain);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function bytesBase64(bytes) {
    return window.btoa(String.fromCharCode.apply(null, Array.from(bytes)));
  }

  function codeNormalise(typed) {
    // as core.tickets.code_normalise: full width and lower case read plainly, separators
    // dropped, O read as 0 and I or L as 1; then 8 characters of Crockford's base 32
    var text = typed.normalize("NFKC").toUpperCase().replace(/[\s\-\u2010]/g, "");
    text = text.replace(/O/g, "0").replace(/[IL]/g, "1");
    if (text.length !== 8) {
      return "";
    }
    for (var i = 0; i < text.length; i += 1) {
      if (CROCKFORD.indexOf(text[i]) < 0) {
        return "";
      }
    }
    return text.slice(0, 4) + "-" + text.slice(4);
  }

  function codeCheck(code) {
    // as core.tickets.code_offline_check
    var list = state.list;
    return window.crypto.subtle
      .importKey("raw", new TextEncoder().encode(code), "PBKDF2", false, ["deriveBits"])
      .then(function (key) {
        return window.crypto.subtle.deriveBits(
          {
            name: "PBKDF2",
            hash: "SHA-256",
            salt: base64Bytes(list.code_salt),
            iterations: list.code_iterations,
          },
          key,
          32
        );
      })
      .then(function (bits) {
        return bytesBase64(new Uint8Array(bits));
      });
  }

  function signatureHolds(head, signature) {
    var library = ed25519
      ? Promise.resolve(ed25519)
      : import(panel.dataset.ed25519).then(function (module) {
          ed25519 = module;
          return module;
        });
    return library.then(function (library) {
      return library.verifyAsync(
        base64Bytes(signature),
        new TextEncoder().encode(head),
        base64Bytes(state.list.public_key),
        { zip215: false }
      );
    });
  }

  // The ticket id a scan shows, or {refused: reason, message}.
  function ticketOf(scanned) {
    var text = scanned.trim();
    if (text.indexOf("L1.") === 0) {
      var match = PAYLOAD.exec(text);
      if (!match) {
        return Promise.resolve({ refused: "forged", message: say("forged") });
      }
      if (match[1] !== Number(state.list.event_id).toString(36).toUpperCase()) {
        return Promise.resolve({ refused: "other-event", message: say("other-event") });
      }
      var head = "L1." + match[1] + "." + match[2];
      return signatureHolds(head, match[3]).then(
        function (holds) {
          return holds
            ? { id: parseInt(match[2], 36) }
            : { refused: "forged", message: say("forged") };
        },
        function () {
          return { refused: "forged", message: say("forged") };
        }
      );
    }
    var code = codeNormalise(text);
    if (!code) {
      return Promise.resolve({ refused: "forged", message: say("forged") });
    }
    return codeCheck(code).then(function (check) {
      var found = byCode[check] || [];
      if (found.length !== 1) {
        return { refused: "forged", message: say("not-listed") };
      }
      return { id: found[0].id };
    });
  }

  function checkHere(scanned) {
    if (!state.list) {
      show(false, "no-list", say("no-list-refusal"));
      return Promise.resolve();
    }
    if (state.list.cancelled) {
      show(false, "cancelled", say("event-cancelled"));
      return Promise.resolve();
    }
    return ticketOf(scanned).then(function (found) {
      if (found.refused) {
        show(false, found.refused, found.message);
        return;
      }
      var ticket = byId[found.id] || null;
      var holder = ticket ? ticket.holder : "";
      if (state.list.revoked.indexOf(found.id) >= 0) {
        show(false, "cancelled", say("cancelled", { holder: holder }), ticket);
        return;
      }
      var booth = panel.dataset.booth;
      if (ticket && booth && String(ticket.booth) !== booth) {
        var there = boothName(ticket.booth) || say("whole-event");
        show(
          false,
          "wrong-booth",
          say("wrong-booth", { holder: holder, there: there, here: panel.dataset.boothName }),
          ticket
        );
        return;
      }
      // kept to be sent, let in or refused as a duplicate: the server records both, as it
      // does a scan it checks itself
      var first = state.seen[found.id] || (ticket && ticket.checked_in);
      var scan = {
        key: window.crypto.randomUUID(),
        ticket: found.id,
        at: new Date().toISOString(),
        device: panel.dataset.device,
        booth: booth ? Number(booth) : null,
      };
      state.pending.push(scan);
      if (!first) {
        state.seen[found.id] = { at: scan.at, device: scan.device };
      }
      save();
      render();
      if (first) {
        var values = { holder: holder, time: clock(first.at), device: first.device };
        show(false, "duplicate", say("duplicate", values), ticket);
      } else {
        show(true, "", ticket ? say("let-in", { holder: holder }) : say("let-in-unlisted"), ticket);
      }
    });
  }

  // --- talking to the server ------------------------------------------------------------

  function csrfToken() {
    var field = document.querySelector("#scan-form input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function reached(ok) {
    offline = !ok;
    render();
  }

  function listFetch() {
    return fetch(panel.dataset.listUrl, {
      credentials: "same-origin",
      cache: "no-store",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
      .then(function (response) {
        reached(true);
        if (response.status === 403 || response.status === 404) {
          delete state.list; // this device no longer keeps this gate
        } else if (response.ok && !response.redirected) {
          return response.json().then(function (list) {
            state.list = list;
          });
        }
      })
      .then(function () {
        index();
        save();
        render();
      })
      .catch(function () {
        reached(false);
      });
  }

  function sync() {
    if (syncing || !state.pending.length) {
      return Promise.resolve();
    }
    syncing = true;
    var sent = state.pending.slice(0, 500);
    var body = JSON.stringify({ sent_at: new Date().toISOString(), scans: sent });
    return fetch(panel.dataset.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), // a hung request never blocks the next
    })
      .then(function (response) {
        reached(true);
        if (!response.ok || response.redirected) {
          state.problems = [{ message: say("sign-in") }];
          return null;
        }
        return response.json();
      })
      .then(function (answer) {
        if (!answer) {
          return;
        }
        var answered = {};
        answer.results.forEach(function (result) {
          answered[result.key] = true;
          if (!result.ok && result.reason !== "duplicate") {
            state.problems.push({ message: result.message });
          }
        });
        state.problems = state.problems.slice(-20);
        state.pending = state.pending.filter(function (scan) {
          return !answered[scan.key];
        });
        state.syncedAt = answer.synced_at;
        save();
        render();
        return listFetch();
      })
      .catch(function () {
        reached(false);
      })
      .then(function () {
        syncing = false;
      });
  }

  function tick() {
    if (!navigator.onLine) {
      render();
      return;
    }
    sync().then(function () {
      var made = state.list ? Date.parse(state.list.made_at) : 0;
      if (!state.list || Date.now() - made > LIST_REFRESH_MS) {
        listFetch();
      }
    });
  }

  // --- the scan form: the server when it can be reached, this device when not ---------------

  function keysRenew() {
    // a page kept by the service worker may carry keys already sent: give those new ones
    document.querySelectorAll("input[name=idempotency_key]").forEach(function (input) {
      if (state.usedKeys.indexOf(input.value) >= 0) {
        input.value = window.crypto.randomUUID();
      }
    });
  }

  function keyUsed(form) {
    var input = form.querySelector("input[name=idempotency_key]") ||
      document.querySelector("input[name=idempotency_key][form='" + form.id + "']");
    if (input && input.value) {
      state.usedKeys = state.usedKeys.concat([input.value]).slice(-USED_KEYS_KEPT);
      save();
    }
  }

  function scanForm(event) {
    return event.detail && event.detail.elt && event.detail.elt.id === "scan-form";
  }

  var asked = null; // what the scan form last sent to the server

  function setUp() {
    panel = document.getElementById("gate-offline");
    if (!panel || !window.crypto || !window.crypto.subtle || !window.localStorage) {
      return;
    }
    labels = {};
    Object.keys(panel.dataset).forEach(function (name) {
      if (name.indexOf("label") === 0) {
        var key = name.slice(5).replace(/[A-Z]/g, function (letter) {
          return "-" + letter.toLowerCase();
        });
        labels[key.slice(1)] = panel.dataset[name];
      }
    });
    storageKey = "laurel.gate." + panel.dataset.event;
    load();
    keysRenew();
    panel.hidden = false;
    render();

    document.body.addEventListener("htmx:beforeRequest", function (event) {
      if (!scanForm(event)) {
        return;
      }
      var input = document.getElementById("scan-input");
      if (!navigator.onLine || offline) {
        event.preventDefault(); // no network: checked here
        if (input.value.trim()) {
          checkHere(input.value);
        }
        return;
      }
      asked = input.value;
      keyUsed(event.detail.elt);
    });
    function unreached(event) {
      if (scanForm(event) && asked !== null) {
        reached(false);
        var scanned = asked;
        asked = null;
        checkHere(scanned);
      }
    }
    document.body.addEventListener("htmx:sendError", unreached);
    document.body.addEventListener("htmx:timeout", unreached);
    document.body.addEventListener("htmx:afterSettle", function (event) {
      if (!event.target || event.target.id !== "scan-result") {
        return;
      }
      asked = null;
      reached(true);
      var result = event.target.dataset;
      if (result.ticket && (result.result === "ok" || result.result === "duplicate")) {
        state.seen[result.ticket] = {
          at: result.firstAt || new Date().toISOString(),
          device: result.firstDevice || panel.dataset.device,
        };
        save();
      }
      sync();
    });
    document.addEventListener("submit", function (event) {
      keyUsed(event.target);
    });
    window.addEventListener("online", tick);
    window.addEventListener("offline", render);
    window.setInterval(tick, TICK_MS);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker
        .register(panel.dataset.workerUrl)
        .then(function () {
          return navigator.serviceWorker.ready;
        })
        .then(function (registration) {
          // kept as opened, for a reload without the network
          var channel = new MessageChannel();
          channel.port1.onmessage = function () {
            panel.dataset.kept = "true";
          };
          registration.active.postMessage({ keep: window.location.href }, [channel.port2]);
        })
        .catch(function () {
          // without it the page still works while it stays open
        });
    }
    tick();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
