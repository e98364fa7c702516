// No inline scripts (strict CSP): behaviour is attached here by class names.
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll("select.js-autosubmit")) {
    el.addEventListener("change", () => el.form.submit());
  }
  // Destructive actions ask first; the question comes from the server, translated.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // A form is sent once: a second click while the first is on its way does nothing.
  for (const form of document.querySelectorAll("form[method=post]")) {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
    });
  }
});

// "Nhập văn bản": add a blank task form (the formset's empty form, numbered like Django does).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".js-add-task");
  const template = document.getElementById("empty-task");
  const total = document.getElementById("id_task-TOTAL_FORMS");
  if (!button || !template || !total) return;
  const list = document.getElementById("proposals");
  button.addEventListener("click", () => {
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    if (list) list.insertAdjacentHTML("beforeend", html);
    else button.insertAdjacentHTML("beforebegin", html);
    total.value = String(index + 1);
    // The new row's organisation pickers (static/js/orgpicker.js) enhance themselves.
    document.dispatchEvent(new CustomEvent("nhiemvu:rows-added"));
  });
  // An unticked proposal is shown dimmed: what will not be registered is visible at a glance.
  for (const row of document.querySelectorAll(".proposal")) {
    const tick = row.querySelector("input[type=checkbox][name$='-keep']");
    if (!tick) continue;
    tick.addEventListener("change", () => row.classList.toggle("proposal-off", !tick.checked));
  }
});
