/* Bulk submission: each chosen file goes as its own POST (two at a time), with its own
   progress bar and outcome; when all are done the sheet's rows are fetched again, so rows
   still waiting for a file and files that matched no row are in view. */
(function () {
  "use strict";

  var root = document.getElementById("bulk-upload");
  if (!root) {
    return;
  }
  var input = document.getElementById("bulk-files");
  var send = document.getElementById("bulk-send");
  var list = document.getElementById("bulk-progress");
  var summary = document.getElementById("bulk-summary");
  var labels = JSON.parse(document.getElementById("bulk-labels").textContent);
  var AT_ONCE = 2;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var field = root.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_all, key) {
      return String(values[key]);
    });
  }

  function lineFor(file, index) {
    var item = document.createElement("li");
    item.id = "bulk-file-" + index;
    item.className = "bulk-file";
    item.dataset.status = "sending";
    var name = document.createElement("span");
    name.className = "mono bulk-file-name";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    var outcome = document.createElement("span");
    outcome.className = "bulk-file-outcome";
    outcome.textContent = labels.sending;
    item.append(name, " ", bar, " ", outcome);
    list.append(item);
    return { item: item, bar: bar, outcome: outcome };
  }

  /* What a file's outcome is, to the reader: an entry refused after processing is refused. */
  function show(line, answer) {
    var status = answer.status;
    if (status === "submitted" && answer.state === "refused") {
      status = "refused";
    }
    line.item.dataset.status = status;
    line.item.dataset.state = answer.state || "";
    line.bar.value = 100;
    var text = labels.rows[status] || status;
    if (answer.entry) {
      text += " · " + answer.entry;
      if (answer.state && answer.state !== "refused") {
        text += " · " + (labels.states[answer.state] || answer.state);
      }
    }
    if (status === "submitted" && (answer.state === "received" || answer.state === "processing")) {
      text = labels.checking + " · " + answer.entry;
    }
    if (answer.reason) {
      text += " — " + answer.reason;
    }
    line.outcome.textContent = text;
  }

  function failed(line, message) {
    line.item.dataset.status = "error";
    line.item.dataset.state = "";
    line.outcome.textContent = labels.rows.error + (message ? " — " + message : "");
  }

  function upload(file, line) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", root.dataset.fileUrl);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) {
          line.bar.value = Math.round((100 * event.loaded) / event.total);
        }
      };
      xhr.onload = function () {
        var answer = null;
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (_error) {
          answer = null;
        }
        if (xhr.status === 200 && answer) {
          show(line, answer);
        } else {
          failed(line, answer && answer.error ? answer.error : String(xhr.status));
        }
        resolve();
      };
      xhr.onerror = function () {
        failed(line, "");
        resolve();
      };
      var data = new FormData();
      data.append("file", file, file.name);
      xhr.send(data);
    });
  }

  function rowsReload() {
    return fetch(root.dataset.rowsUrl, {
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        var section = document.getElementById("bulk-rows-section");
        if (!html || !section) {
          return;
        }
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.querySelector("#bulk-rows-section");
        if (fresh) {
          section.replaceWith(fresh);
          if (window.htmx) {
            window.htmx.process(fresh);
          }
        }
      })
      .catch(function () {
        /* the rows stay as they were; reloading the page shows them */
      });
  }

  send.addEventListener("click", function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) {
      summary.textContent = labels.none;
      return;
    }
    send.disabled = true;
    input.disabled = true;
    root.dataset.state = "sending";
    list.replaceChildren();
    var lines = files.map(lineFor);
    var next = 0;
    var done = 0;
    summary.textContent = format(labels.summary, { done: 0, total: files.length });

    function finished() {
      rowsReload().then(function () {
        send.disabled = false;
        input.disabled = false;
        input.value = "";
        root.dataset.state = "done";
      });
    }

    function startNext() {
      if (next >= files.length) {
        return;
      }
      var index = next;
      next += 1;
      upload(files[index], lines[index]).then(function () {
        done += 1;
        summary.textContent = format(labels.summary, { done: done, total: files.length });
        if (done === files.length) {
          finished();
        } else {
          startNext();
        }
      });
    }

    for (var i = 0; i < AT_ONCE; i += 1) {
      startNext();
    }
  });
})();
