// Parchemin — the birth-commune picker (ARIA 1.2 combobox with a list). htmx fetches the
// options (candidates:commune-search?q=) into the listbox; this file sends the query as "q",
// moves through the options with the keyboard, and writes the chosen INSEE code into the
// hidden field. Typing again clears the code, so a name and a code never disagree.
(function () {
  "use strict";

  function parts(input) {
    var box = input.closest("[data-combobox]");
    return {
      box: box,
      list: box.querySelector("[role=listbox]"),
      code: box.querySelector("[data-commune-code]"),
      status: box.querySelector("[data-combobox-status]")
    };
  }

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  }

  function abroad(input) {
    var country = input.form && input.form.querySelector("[data-country-code]");
    return country && country.value && country.value !== country.getAttribute("data-france");
  }

  function close(input) {
    var p = parts(input);
    p.list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(input, option) {
    var p = parts(input);
    options(p.list).forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function choose(input, option) {
    var p = parts(input);
    input.value = option.getAttribute("data-name");
    p.code.value = option.getAttribute("data-code");
    var department = input.form && input.form.querySelector("[data-commune-department]");
    if (department) { department.value = option.getAttribute("data-department"); }
    p.status.textContent = option.textContent.trim();
    close(input);
  }

  // the query goes as ?q= (the input's own name is birth_commune)
  document.addEventListener("htmx:configRequest", function (event) {
    var input = event.detail.elt;
    if (!input.matches || !input.matches("[data-commune-picker]")) { return; }
    if (abroad(input) || input.value.trim().length < 2) { event.preventDefault(); close(input); return; }
    event.detail.parameters = { q: input.value };
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.detail.target;
    if (!list.matches || !list.matches(".combobox-list")) { return; }
    var input = list.closest("[data-combobox]").querySelector("[data-commune-picker]");
    var count = options(list).length;
    input.setAttribute("aria-expanded", list.children.length ? "true" : "false");
    parts(input).status.textContent = count ? count + " commune(s)" : list.textContent.trim();
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.matches && input.matches("[data-commune-picker]")) { parts(input).code.value = ""; }
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-commune-picker]")) { return; }
    var list = parts(input).list;
    var all = options(list);
    var current = list.querySelector("[aria-selected=true]");
    var index = all.indexOf(current);
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      highlight(input, all[(index + 1) % all.length]);
    } else if (event.key === "ArrowUp" && all.length) {
      event.preventDefault();
      highlight(input, all[(index - 1 + all.length) % all.length]);
    } else if (event.key === "Enter" && current) {
      event.preventDefault();
      choose(input, current);
    } else if (event.key === "Escape") {
      close(input);
    }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest(".combobox-list [role=option]");
    if (option) {
      choose(option.closest("[data-combobox]").querySelector("[data-commune-picker]"), option);
    }
  });

  // born abroad: the commune is a foreign city in plain text, no French code
  document.addEventListener("change", function (event) {
    var country = event.target;
    if (!country.matches || !country.matches("[data-country-code]")) { return; }
    var input = country.form.querySelector("[data-commune-picker]");
    if (input && abroad(input)) { parts(input).code.value = ""; close(input); }
  });
})();
