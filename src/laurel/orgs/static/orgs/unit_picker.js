/* The unit picker (orgs/widgets/unit_picker.html): as one types part of a unit's name, the
   matches are fetched from the server (orgs:unit_pick) and shown as radio buttons. The unit
   already chosen stays first. Typing is kept to the picker: a filter form around it reacts
   only when a unit is chosen. Without this script the form sends the text and the server
   answers with the matches. */
(function () {
  "use strict";

  if (window.laurelUnitPicker) {
    return;
  }
  window.laurelUnitPicker = true;
  var WAIT_MS = 250;
  var timers = new WeakMap();

  function pickerOf(target) {
    var query = target && target.closest ? target.closest("[data-unit-picker-query]") : null;
    return query ? { query: query, root: query.closest("[data-unit-picker]") } : null;
  }

  function search(picker) {
    var root = picker.root;
    var results = root.querySelector("[data-unit-picker-results]");
    var url = new URL(root.dataset.pickUrl, window.location.href);
    var asked = picker.query.value;
    url.searchParams.set("q", asked);
    url.searchParams.set("name", root.dataset.name);
    url.searchParams.set("required", root.dataset.required);
    url.searchParams.set("empty", root.dataset.empty || "none");
    var chosen = results.querySelector("input[type=radio]:checked");
    if (chosen && chosen.value) {
      url.searchParams.set("selected", chosen.value);
    }
    window
      .fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        if (picker.query.value === asked) {
          results.innerHTML = html;
        }
      })
      .catch(function () {
        /* the matches stay as they were; sending the form still finds the unit */
      });
  }

  function later(picker) {
    window.clearTimeout(timers.get(picker.query));
    timers.set(
      picker.query,
      window.setTimeout(function () {
        search(picker);
      }, WAIT_MS)
    );
  }

  // Capture: the picker sees its typing before a filter form around it does, and keeps it.
  document.addEventListener(
    "input",
    function (event) {
      var picker = pickerOf(event.target);
      if (picker) {
        event.stopPropagation();
        later(picker);
      }
    },
    true
  );
  document.addEventListener(
    "change",
    function (event) {
      if (pickerOf(event.target)) {
        event.stopPropagation();
      }
    },
    true
  );
  document.addEventListener(
    "keydown",
    function (event) {
      var picker = pickerOf(event.target);
      if (picker && event.key === "Enter") {
        event.preventDefault(); // Enter searches now; it does not send the form
        window.clearTimeout(timers.get(picker.query));
        search(picker);
      }
    },
    true
  );
})();
