/* The judge workspace: every change is saved at once (one POST per change, in order), the
   answer — a small fragment with #save-status and the progress — replaces those on the page;
   a change the server refuses is put back. Photos toggle between fit and 100% (one image
   pixel per screen pixel) and pan by scrolling, dragging or pinching. Keyboard on laptops:
   → / N next, ← / P previous, 1–9 and 0 (= 10) score the chosen criterion, ↑ ↓ choose one,
   P / F pass or fail in qualifying rounds, Z zooms. Links wait for saves still under way. */
(function () {
  "use strict";

  var root = document.getElementById("review");
  if (!root) {
    return;
  }
  var form = document.getElementById("review-form");
  var editable = root.dataset.editable === "true";
  var saveUrl = root.dataset.saveUrl;
  var rows = Array.prototype.slice.call(root.querySelectorAll("[data-criterion-row]"));
  var pending = 0;
  var queue = Promise.resolve();
  var committed = {}; // what the server has: criterion pk → "7" or "", "verdict", "comment"
  var active = rows.length ? rows[0].dataset.criterionRow : null;

  function csrfToken() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function statusSet(state, text) {
    var status = document.getElementById("save-status");
    status.dataset.state = state;
    if (text !== undefined) {
      status.textContent = text;
    }
  }

  /* Put each element of the answer in place of the page's element with the same id. */
  function swap(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var found = false;
    Array.prototype.forEach.call(template.content.querySelectorAll("[id]"), function (node) {
      var old = document.getElementById(node.id);
      if (old && node.parentNode === template.content) {
        node.removeAttribute("hx-swap-oob");
        old.replaceWith(node);
        found = true;
      }
    });
    return found;
  }

  function workItemMark() {
    var state = document.getElementById("save-status").dataset.assignmentState;
    var item = document.querySelector(".work-item[aria-current=page]");
    if (item && state) {
      item.dataset.state = state;
    }
  }

  /* POST ``fields``; ``done(ok)`` after the answer. Saves run one after another. */
  function save(fields, done) {
    pending += 1;
    statusSet("saving", root.dataset.labelSaving);
    queue = queue.then(function () {
      var body = new FormData();
      Object.keys(fields).forEach(function (key) {
        body.append(key, fields[key]);
      });
      return fetch(saveUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
      })
        .then(function (response) {
          return response.text().then(function (text) {
            var answered = !response.redirected && swap(text);
            pending -= 1;
            if (!answered) {
              statusSet("error", response.redirected || response.status === 403
                ? root.dataset.labelSession : root.dataset.labelFailed);
            } else if (pending > 0 && response.ok) {
              statusSet("saving", root.dataset.labelSaving);
            }
            workItemMark();
            done(answered && response.ok);
          });
        })
        .catch(function () {
          pending -= 1;
          statusSet("error", root.dataset.labelFailed);
          done(false);
        });
    });
    return queue;
  }

  /* --- scores ------------------------------------------------------------------------- */

  function parts(pk) {
    return {
      row: document.getElementById("criterion-row-" + pk),
      range: document.getElementById("criterion-" + pk),
      output: document.getElementById("criterion-" + pk + "-value"),
      keys: root.querySelectorAll("[data-criterion='" + pk + "'][data-value]"),
    };
  }

  function scoreShow(pk, value) {
    var p = parts(pk);
    p.row.dataset.set = value === "" ? "false" : "true";
    if (value !== "") {
      p.range.value = value;
    }
    p.output.textContent = value === "" ? "–" : value;
    Array.prototype.forEach.call(p.keys, function (key) {
      key.setAttribute("aria-pressed", key.dataset.value === value ? "true" : "false");
    });
  }

  function scoreSet(pk, value) {
    value = String(value);
    var p = parts(pk);
    var low = Number(p.row.dataset.low);
    var high = Number(p.row.dataset.high);
    if (!editable || Number(value) < low || Number(value) > high) {
      return false;
    }
    scoreShow(pk, value);
    var fields = {};
    fields["criterion_" + pk] = value;
    save(fields, function (ok) {
      if (ok) {
        committed[pk] = value;
      } else {
        scoreShow(pk, committed[pk]);
      }
    });
    return true;
  }

  function activate(pk, focus) {
    active = pk;
    rows.forEach(function (row) {
      row.classList.toggle("is-active", row.dataset.criterionRow === pk);
    });
    if (focus) {
      parts(pk).range.focus({ preventScroll: false });
    }
  }

  function neighbour(pk, step) {
    var index = rows.findIndex(function (row) {
      return row.dataset.criterionRow === pk;
    });
    var next = rows[index + step];
    return next ? next.dataset.criterionRow : null;
  }

  rows.forEach(function (row) {
    var pk = row.dataset.criterionRow;
    var p = parts(pk);
    committed[pk] = row.dataset.set === "true" ? p.range.value : "";
    p.range.addEventListener("input", function () {
      p.output.textContent = p.range.value;
    });
    p.range.addEventListener("change", function () {
      if (p.range.value !== committed[pk]) {
        scoreSet(pk, p.range.value);
      }
    });
    p.range.addEventListener("focus", function () {
      activate(pk, false);
    });
    Array.prototype.forEach.call(p.keys, function (key) {
      key.addEventListener("click", function () {
        activate(pk, false);
        scoreSet(pk, key.dataset.value);
      });
    });
    // criteria with too many values for a keypad: a number field, on the criterion's step
    var typed = root.querySelector("[data-criterion-typed='" + pk + "']");
    if (typed) {
      typed.addEventListener("change", function () {
        activate(pk, false);
        if (typed.value !== "" && typed.value !== committed[pk]) {
          scoreSet(pk, typed.value);
        }
      });
    }
  });
  if (active) {
    activate(active, false);
  }

  /* --- verdicts ------------------------------------------------------------------------ */

  var verdictButtons = Array.prototype.slice.call(root.querySelectorAll("[data-verdict]"));

  function verdictShow(value) {
    verdictButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", button.dataset.verdict === value ? "true" : "false");
    });
  }

  function verdictSet(value) {
    if (!editable || !verdictButtons.length) {
      return;
    }
    verdictShow(value);
    save({ verdict: value }, function (ok) {
      if (ok) {
        committed.verdict = value;
      } else {
        verdictShow(committed.verdict);
      }
    });
  }

  verdictButtons.forEach(function (button) {
    if (button.getAttribute("aria-pressed") === "true") {
      committed.verdict = button.dataset.verdict;
    }
    button.addEventListener("click", function () {
      verdictSet(button.dataset.verdict);
    });
  });

  /* --- the comment: saved a moment after typing stops, and when leaving the box ---------- */

  var comment = document.getElementById("review-comment");
  var commentTimer = null;
  committed.comment = comment ? comment.value : "";

  function commentSave() {
    window.clearTimeout(commentTimer);
    if (!editable || comment.value === committed.comment) {
      return;
    }
    var value = comment.value;
    committed.comment = value;
    save({ comment: value }, function () {});
  }

  if (comment) {
    comment.addEventListener("input", function () {
      window.clearTimeout(commentTimer);
      commentTimer = window.setTimeout(commentSave, 1000);
    });
    comment.addEventListener("change", commentSave);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault(); // everything is saved as it changes
  });

  /* --- leaving: links wait for the saves under way ------------------------------------- */

  function leave(href) {
    if (comment) {
      commentSave();
    }
    if (pending) {
      queue.then(function () {
        window.location.href = href;
      });
    } else {
      window.location.href = href;
    }
  }

  root.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-review-nav]");
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
      event.preventDefault();
      leave(link.href);
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (pending) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  var conflictForm = document.getElementById("conflict-form");
  if (conflictForm) {
    conflictForm.addEventListener("submit", function (event) {
      if (!window.confirm(conflictForm.dataset.confirm)) {
        event.preventDefault();
      } else if (pending) {
        event.preventDefault(); // after the saves under way (submit() fires no event)
        queue.then(function () {
          conflictForm.submit();
        });
      }
    });
  }

  /* --- zoom: fit ⇄ 100%, panning by scroll, drag or pinch --------------------------------- */

  var frames = Array.prototype.slice.call(root.querySelectorAll(".zoom-frame:not(.is-missing)"));

  function zoomToggle(frame, clientX, clientY) {
    var image = frame.querySelector("img");
    if (!image || !image.naturalWidth) {
      return;
    }
    if (frame.classList.contains("is-zoomed")) {
      frame.classList.remove("is-zoomed");
      frame.style.height = "";
      image.style.width = "";
      frame.setAttribute("aria-pressed", "false");
      return;
    }
    var box = image.getBoundingClientRect();
    var fx = clientX === undefined ? 0.5 : (clientX - box.left) / box.width;
    var fy = clientY === undefined ? 0.5 : (clientY - box.top) / box.height;
    frame.style.height = frame.clientHeight + "px";
    frame.classList.add("is-zoomed");
    frame.setAttribute("aria-pressed", "true");
    image.style.width = image.naturalWidth / (window.devicePixelRatio || 1) + "px";
    frame.scrollLeft = Math.max(0, fx * image.offsetWidth - frame.clientWidth / 2);
    frame.scrollTop = Math.max(0, fy * image.offsetHeight - frame.clientHeight / 2);
  }

  frames.forEach(function (frame) {
    var drag = null;
    var dragged = false;
    frame.addEventListener("pointerdown", function (event) {
      dragged = false;
      if (event.pointerType !== "mouse" || !frame.classList.contains("is-zoomed")) {
        return;
      }
      drag = { x: event.clientX, y: event.clientY, left: frame.scrollLeft, top: frame.scrollTop };
      frame.setPointerCapture(event.pointerId);
    });
    frame.addEventListener("pointermove", function (event) {
      if (!drag) {
        return;
      }
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) {
        dragged = true;
        frame.classList.add("is-dragging");
      }
      frame.scrollLeft = drag.left - dx;
      frame.scrollTop = drag.top - dy;
    });
    function dragEnd() {
      drag = null;
      frame.classList.remove("is-dragging");
    }
    frame.addEventListener("pointerup", dragEnd);
    frame.addEventListener("pointercancel", dragEnd);
    frame.addEventListener("click", function (event) {
      if (!dragged) {
        zoomToggle(frame, event.clientX, event.clientY);
      }
      dragged = false;
    });
    frame.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        zoomToggle(frame);
      }
    });
  });

  /* --- the keyboard ------------------------------------------------------------------------ */

  function follow(id) {
    var link = document.getElementById(id);
    if (link) {
      leave(link.href);
    }
  }

  function digit(key) {
    if (!active) {
      return;
    }
    var row = parts(active).row;
    var value = Number(key);
    if (key === "0") {
      value = Number(row.dataset.high) >= 10 ? 10 : 0;
    }
    if (!scoreSet(active, value)) {
      if (editable) {
        statusSet("error", root.dataset.labelOutOfScale);
      }
      return;
    }
    var next = neighbour(active, 1);
    if (next) {
      activate(next, true);
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    if (target.closest && target.closest("textarea, select, input:not([type=range]), [contenteditable]")) {
      return; // typing
    }
    var key = event.key;
    var handled = true;
    if (key === "ArrowRight" || key === "n" || key === "N") {
      follow("review-next");
    } else if (key === "ArrowLeft") {
      follow("review-previous");
    } else if ((key === "p" || key === "P") && verdictButtons.length) {
      verdictSet("pass");
    } else if ((key === "f" || key === "F") && verdictButtons.length) {
      verdictSet("fail");
    } else if (key === "p" || key === "P") {
      follow("review-previous");
    } else if (/^[0-9]$/.test(key) && rows.length) {
      digit(key);
    } else if ((key === "ArrowDown" || key === "ArrowUp") && active && target.closest(".criterion")) {
      var next = neighbour(active, key === "ArrowDown" ? 1 : -1);
      if (next) {
        activate(next, true);
      }
    } else if ((key === "z" || key === "Z") && frames.length) {
      var frame = target.closest && target.closest(".zoom-frame");
      zoomToggle(frame || frames[0]);
    } else {
      handled = false;
    }
    if (handled) {
      event.preventDefault();
    }
  });
})();
