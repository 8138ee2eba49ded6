// Site-wide behaviour. No inline scripts anywhere: the Content-Security-Policy forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // The language switch submits itself when a language is chosen.
  document.querySelectorAll(".js-language-switch select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});

// The receipt's print button.
document.addEventListener("click", (event) => {
  if (event.target.closest(".js-print")) window.print();
});

// The counter: show the change as cash is typed, and the cash field only for cash. Listeners
// sit on the document, so a payment form swapped in by htmx works from its first keystroke.
function updatePayment(form) {
  const total = parseFloat(form.dataset.total || "0");
  const cash = form.querySelector(".js-cash");
  const paid = form.querySelector("[name=amount_paid]");
  const change = form.querySelector(".js-change");
  const method = form.querySelector("[name=payment_method]:checked");
  const isCash = method && method.value === "cash";
  cash.hidden = !isCash;
  paid.required = isCash;
  const value = parseFloat(paid.value);
  change.textContent = isCash && value >= total
    ? (value - total).toLocaleString(undefined, {minimumFractionDigits: 2, maximumFractionDigits: 2})
    : "\u2014";
}
["input", "change"].forEach((type) => {
  document.addEventListener(type, (event) => {
    const form = event.target.closest && event.target.closest(".js-pos-payment");
    if (form) updatePayment(form);
  });
});
function setUpCounter(root) {
  root.querySelectorAll(".js-pos-payment").forEach(updatePayment);
}
document.addEventListener("DOMContentLoaded", () => setUpCounter(document));
document.addEventListener("htmx:afterSettle", (event) => setUpCounter(event.target));
