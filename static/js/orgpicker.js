// The searchable organisation picker. It enhances a <select data-org-picker> (single or
// multiple, values are organisation codes): type part of a name, with or without diacritics, an
// abbreviation ("STC", "KH&CN") or a group ("xã, phường"); choose with the mouse or the arrow
// keys and Enter; chosen organisations are chips with a remove button. The <select> stays in
// the form (hidden) and is what is submitted, so without JavaScript the plain list still works.
// Results come from /co-quan/tim/?q=… (server-side search, same rules as the task filter).
(() => {
  "use strict";
  let counter = 0;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function enhance(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    const url = select.dataset.orgPicker || "/co-quan/tim/";
    const multiple = select.multiple;
    const id = `org-picker-${++counter}`;
    const wrap = el("div", { class: "org-picker" });
    const chips = el("ul", { class: "org-picker-chips list-unstyled d-flex flex-wrap gap-1 mb-1" });
    const input = el("input", {
      type: "text",
      class: "form-control form-control-sm",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": `${id}-list`,
      autocomplete: "off",
      placeholder: select.dataset.placeholder || "",
    });
    const label = select.id ? document.querySelector(`label[for="${select.id}"]`) : null;
    if (label) {
      input.id = `${select.id}-search`;
      label.setAttribute("for", input.id);
    }
    const list = el("ul", { class: "org-picker-list list-group", role: "listbox", id: `${id}-list` });
    list.hidden = true;
    const status = el("div", { class: "visually-hidden", "aria-live": "polite" });
    wrap.append(chips, input, list, status);
    select.after(wrap);
    select.classList.add("d-none");
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;

    let results = [];
    let active = -1;
    let timer = null;

    function option(code, label) {
      let opt = Array.from(select.options).find((o) => o.value === code);
      if (!opt) {
        opt = new Option(label, code);
        select.add(opt);
      }
      return opt;
    }

    function render() {
      chips.replaceChildren();
      for (const opt of Array.from(select.selectedOptions)) {
        if (!opt.value) continue;
        const chip = el("li", { class: "badge text-bg-primary d-inline-flex align-items-center" });
        chip.append(el("span", {}, opt.textContent));
        const remove = el("button", {
          type: "button",
          class: "btn-close btn-close-white ms-1",
          "aria-label": `${select.dataset.removeLabel || "Remove"} ${opt.textContent}`,
        });
        remove.addEventListener("click", () => {
          opt.selected = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          render();
          input.focus();
        });
        chip.append(remove);
        chips.append(chip);
      }
      if (!multiple && select.selectedOptions.length && select.selectedOptions[0].value) {
        input.placeholder = "";
      }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(item) {
      const codes = item.members || [item.value];
      if (!multiple) {
        for (const opt of Array.from(select.options)) opt.selected = false;
      }
      for (const code of codes) option(code, code === item.value ? item.label : code).selected = true;
      if (item.members) {
        status.textContent = `${item.label}: ${item.members.length}`;
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = "";
      close();
      render();
      // Group members arrive with their codes as labels: ask the server for their names.
      if (item.members) refreshLabels(item.members);
    }

    async function refreshLabels(codes) {
      for (const code of codes) {
        const opt = Array.from(select.options).find((o) => o.value === code);
        if (opt && opt.textContent !== code) continue;
        try {
          const response = await fetch(`${url}?q=${encodeURIComponent(code)}`, { credentials: "same-origin" });
          const data = await response.json();
          const hit = data.results.find((r) => r.value === code);
          if (hit && opt) opt.textContent = hit.label;
        } catch (error) {
          return;
        }
      }
      render();
    }

    function show() {
      list.replaceChildren();
      results.forEach((item, index) => {
        const li = el("li", {
          class: "list-group-item list-group-item-action py-1",
          role: "option",
          id: `${id}-opt-${index}`,
          "aria-selected": index === active ? "true" : "false",
        });
        li.append(el("span", {}, item.label));
        const hint = item.members ? `${item.members.length}` : item.hint;
        if (hint) li.append(el("small", { class: "text-body-secondary ms-2" }, hint));
        if (index === active) li.classList.add("active");
        li.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(item);
        });
        list.append(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      if (active >= 0) input.setAttribute("aria-activedescendant", `${id}-opt-${active}`);
      status.textContent = results.length ? `${results.length}` : "";
    }

    async function lookup() {
      const q = input.value.trim();
      if (!q) {
        results = [];
        close();
        return;
      }
      try {
        const response = await fetch(`${url}?q=${encodeURIComponent(q)}`, { credentials: "same-origin" });
        if (!response.ok) return;
        const data = await response.json();
        if (input.value.trim() !== q) return; // typed on meanwhile
        results = data.results;
        active = results.length ? 0 : -1;
        show();
      } catch (error) {
        results = [];
        close();
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && results.length) {
        active = (active + 1) % results.length;
        show();
        event.preventDefault();
      } else if (event.key === "ArrowUp" && results.length) {
        active = (active - 1 + results.length) % results.length;
        show();
        event.preventDefault();
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        choose(results[active]);
        event.preventDefault();
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Backspace" && !input.value && multiple) {
        const chosen = Array.from(select.selectedOptions).filter((o) => o.value);
        if (chosen.length) {
          chosen[chosen.length - 1].selected = false;
          render();
        }
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
    render();
  }

  function enhanceAll(root) {
    root.querySelectorAll("select[data-org-picker]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
  // htmx swaps (the review screen's rows, the task list's filters) bring new selects.
  document.addEventListener("htmx:afterSwap", (event) => enhanceAll(event.target));
  // A row added on the page ("Add a task" on the review screen).
  document.addEventListener("nhiemvu:rows-added", () => enhanceAll(document));
})();
