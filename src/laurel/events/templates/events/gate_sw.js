// The gate page's service worker (events.views.console_gate_offline.service_worker): the gate
// opens again without the network. Its scope is the gate's own path; it keeps the gate page
// as last loaded (the page itself, never a lost-ticket or walk-in answer) and the static files
// it needs. Everything else (the ticket list, the sync) goes to the network untouched: the
// page's script keeps its own copy of the list and of the scans waiting to be sent.
"use strict";

var CONFIG = {{ config|safe }}; // {cache, prefix, page, staticUrl, assets}: from the view

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(CONFIG.cache)
      .then(function (cache) {
        return cache.addAll(CONFIG.assets);
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  // the caches of this gate's earlier versions go; other gates' stay
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf(CONFIG.prefix) === 0 && name !== CONFIG.cache;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

// The page asks to be kept as it was opened (its booth and device's name in the query): the
// first load is not yet under this worker, so it is fetched again here.
self.addEventListener("message", function (event) {
  var url = event.data && event.data.keep ? new URL(event.data.keep) : null;
  if (!url || url.origin !== self.location.origin || url.pathname !== CONFIG.page) {
    return;
  }
  event.waitUntil(
    caches
      .open(CONFIG.cache)
      .then(function (cache) {
        return cache.add(url.href);
      })
      .then(function () {
        if (event.ports[0]) {
          event.ports[0].postMessage({ kept: url.href });
        }
      })
  );
});

function gatePage(request) {
  // the network first; the copy kept when it cannot be reached
  return fetch(request)
    .then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CONFIG.cache).then(function (cache) {
          return cache.put(request, copy);
        });
      }
      return response;
    })
    .catch(function () {
      // as last loaded at this booth and under this device's name, else at any
      return caches
        .match(request)
        .then(function (kept) {
          return kept || caches.match(request, { ignoreSearch: true });
        })
        .then(function (kept) {
          return kept || Response.error();
        });
    });
}

function staticFile(request) {
  // a static file's name carries its content's hash: the copy kept is always right
  return caches.match(request).then(function (kept) {
    return (
      kept ||
      fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CONFIG.cache).then(function (cache) {
            return cache.put(request, copy);
          });
        }
        return response;
      })
    );
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && url.pathname === CONFIG.page) {
    event.respondWith(gatePage(request));
  } else if (url.pathname.indexOf(CONFIG.staticUrl) === 0) {
    event.respondWith(staticFile(request));
  }
});
