// Small helpers for the counter's pages; everything works without them.
document.addEventListener("htmx:afterSwap", function (event) {
  // The reception page: fill the applicant's known details into empty fields.
  var data = document.getElementById("applicant-data");
  if (!data || !event.detail.target || event.detail.target.id !== "applicant-found") return;
  ["name", "phone", "address", "email"].forEach(function (name) {
    var input = document.getElementById("id_" + name);
    if (input && !input.value) input.value = data.dataset[name] || "";
  });
});
