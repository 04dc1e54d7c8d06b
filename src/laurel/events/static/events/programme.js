/* A performance's programme in the console (events/console_programme.html): an act's row
   dragged by its handle (SortableJS, served from our static files) to its new place. The
   rows' hidden "act" inputs belong to the form #programme-order; once a row is dropped
   elsewhere, the form is sent by htmx (hx-trigger="programme-reordered") with every act in
   the new order, and the programme comes back as saved — its numbers, start times and total
   counted again by the server, or the order as it stands with the reason it was refused.
   The page's number forms do the same without a mouse. */
(function () {
  "use strict";

  function sortables(root) {
    var lists = Array.prototype.slice.call(root.querySelectorAll("[data-programme-sortable]"));
    if (root.matches && root.matches("[data-programme-sortable]")) {
      lists.push(root);
    }
    return lists;
  }

  function orderSend(list) {
    var form = document.getElementById(list.dataset.programmeSortable);
    if (form) {
      htmx.trigger(form, "programme-reordered");
    }
  }

  // Sortable moves rows with inline styles (set through the CSSOM, which the policy allows);
  // htmx copies an old row's style attribute onto its new one while it settles, which the
  // policy refuses. The old rows' styles go before the programme is put back.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "programme") {
      target.querySelectorAll("[style]").forEach(function (element) {
        element.removeAttribute("style");
      });
    }
  });

  htmx.onLoad(function (root) {
    sortables(root).forEach(function (list) {
      if (list.dataset.sortableReady) {
        return;
      }
      list.dataset.sortableReady = "1";
      Sortable.create(list, {
        handle: ".drag-handle",
        draggable: "tr",
        animation: 150,
        onEnd: function (event) {
          if (event.oldIndex !== event.newIndex) {
            orderSend(list);
          }
        },
      });
    });
  });
})();
