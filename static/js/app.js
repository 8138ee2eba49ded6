// Site-wide behaviour. No inline scripts anywhere: the Content-Security-Policy forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // The language switch submits itself when a language is chosen.
  document.querySelectorAll(".js-language-switch select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});
