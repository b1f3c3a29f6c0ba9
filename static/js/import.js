// The import preview (templates/desk/import_preview.html): "Create" sends the ticked files a few
// at a time and moves a progress bar, then opens the result page. Without this script, the same
// button posts the whole form once. A refusal of the form itself (a title left empty) falls back
// to that plain post, so the page shows the errors beside their fields.
(function () {
  "use strict";
  const form = document.getElementById("import-form");
  if (!form || !window.fetch || !window.FormData) return;
  const button = form.querySelector("[data-import-create]");
  const box = form.querySelector("[data-import-progress]");
  if (!button || !box) return;
  const bar = box.querySelector("progress");
  const status = box.querySelector("[data-import-status]");
  const list = box.querySelector("[data-import-results]");
  const size = parseInt(form.dataset.batchSize, 10) || 5;
  let plain = false;

  function ticked() {
    return Array.from(form.querySelectorAll("[data-file]")).filter(function (section) {
      const make = section.querySelector("input[name$='-make']");
      return make && make.checked;
    }).map(function (section) { return section.dataset.file; });
  }

  function postPlainly() {
    plain = true;
    const action = document.createElement("input");
    action.type = "hidden"; action.name = "action"; action.value = "create";
    form.appendChild(action);
    form.submit();
  }

  function report(result) {
    const item = document.createElement("li");
    if (result.created) {
      const link = document.createElement("a");
      link.href = result.url; link.textContent = result.title;
      item.append(result.name + ": created ", link);
    } else {
      item.textContent = result.name + ": refused: " + result.message;
      item.className = "error-message";
    }
    list.appendChild(item);
  }

  async function send(ids) {
    const data = new FormData(form);
    data.set("action", "create");
    ids.forEach(function (id) { data.append("only", id); });
    // form.action would be the buttons named "action": the attribute, or this page.
    const response = await fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" },
    });
    if (response.status === 400) return null;
    if (!response.ok) throw new Error("The server answered " + response.status);
    return (await response.json()).results;
  }

  // The required sections missing, named again for the type just chosen (the server names them
  // on "Update the preview" without this script).
  const requirements = JSON.parse(form.dataset.typeRequirements || "{}");
  const titles = JSON.parse(form.dataset.sectionTitles || "{}");
  form.querySelectorAll("[data-file]").forEach(function (section) {
    const select = section.querySelector("select[name$='-article_type']");
    const found = section.querySelector("[data-found]");
    const missing = section.querySelector("[data-missing]");
    if (!select || !found || !missing) return;
    const has = JSON.parse(found.dataset.found || "[]");
    select.addEventListener("change", function () {
      const lacking = (requirements[select.value] || []).filter(function (key) { return has.indexOf(key) < 0; });
      missing.textContent = lacking.length ? lacking.map(function (key) { return titles[key] || key; }).join(", ") : "None";
    });
  });

  form.addEventListener("submit", async function (event) {
    if (plain || event.submitter !== button) return;
    event.preventDefault();
    const ids = ticked();
    if (!ids.length) { postPlainly(); return; }
    button.disabled = true;
    box.hidden = false;
    bar.max = ids.length; bar.value = 0;
    let done = 0;
    try {
      for (let start = 0; start < ids.length; start += size) {
        status.textContent = "Creating drafts: " + done + " of " + ids.length + " done.";
        const results = await send(ids.slice(start, start + size));
        if (results === null) { postPlainly(); return; }
        results.forEach(report);
        done += results.length;
        bar.value = done;
      }
      status.textContent = "Done: " + done + " of " + ids.length + " files handled. Opening the result.";
      window.location.assign(form.dataset.resultUrl);
    } catch (error) {
      status.textContent = error.message + ". The files handled so far are listed; try again for the rest.";
      button.disabled = false;
    }
  });
})();
