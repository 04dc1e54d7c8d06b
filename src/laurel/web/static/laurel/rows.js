/* Rows editors (web/widgets/rows.html): "Add a row" adds an empty row in the page, copied
   from the editor's <template>, instead of sending the form. Without this script the button
   sends the form and the server shows it again with one more row. With it the button is a
   plain button, so Enter in a field sends the form rather than adding a row. */
(function () {
  "use strict";

  if (window.laurelRows) {
    return;
  }
  window.laurelRows = true;

  function plainButtons() {
    document.querySelectorAll("button[data-rows-add]").forEach(function (button) {
      button.type = "button";
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", plainButtons);
  } else {
    plainButtons();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-rows-add]") : null;
    var editor = button ? button.closest("[data-rows]") : null;
    if (!editor) {
      return;
    }
    var name = editor.dataset.rows;
    var total = editor.querySelector('input[name="' + name + '-TOTAL_FORMS"]');
    var template = editor.querySelector("template[data-rows-empty]");
    var body = editor.querySelector("[data-rows-body]");
    var index = parseInt(total.value, 10);
    if (!template || !body || isNaN(index) || index >= parseInt(editor.dataset.rowsMax, 10)) {
      return; // the server answers: at most so many rows
    }
    event.preventDefault();
    var holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.querySelector("[data-row]");
    row.querySelector("[data-row-number]").textContent = String(index + 1);
    body.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
  });
})();
