// Autocomplete for filter selects with long option lists (products.autocomplete): the page
// renders only the chosen option, Tom Select asks the select's data-autocomplete-url for the
// options matching what is typed. The select keeps its name, so the form submits as before.
(function () {
  "use strict";

  function escape(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function setUp(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    const url = select.dataset.autocompleteUrl;
    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      allowEmptyOption: true,
      maxOptions: null,
      preload: "focus",
      loadThrottle: 250,
      placeholder: select.dataset.placeholder,
      plugins: ["dropdown_input"],
      load(query, callback) {
        const address = new URL(url, window.location.href);
        address.searchParams.set("q", query);
        fetch(address, {headers: {Accept: "application/json"}, credentials: "same-origin"})
          .then((response) => (response.ok ? response.json() : Promise.reject(response)))
          .then((data) => callback(data.results))
          .catch(() => callback());
      },
      // Every load asks the server again: it searches more than the options loaded so far.
      shouldLoad: () => true,
      render: {
        // One line whatever the label ("Food › Snacks › Salty"): the full text on hover.
        item: (data, esc) =>
          `<div class="text-truncate mw-100" title="${esc(data.text)}">${esc(data.text)}</div>`,
        no_results: () => `<div class="no-results">${escape(select.dataset.noResults || "")}</div>`,
        loading: () => '<div class="spinner-border spinner-border-sm m-2" role="status"></div>',
      },
    });
  }

  function setUpAll(root) {
    root.querySelectorAll("select[data-autocomplete-url]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", () => setUpAll(document));
  document.addEventListener("htmx:load", (event) => setUpAll(event.target));
})();
