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

// Scans panel: files dropped on a component's drop zone are uploaded like chosen ones.
["dragover", "dragleave", "drop"].forEach(function (type) {
  document.addEventListener(type, function (event) {
    var zone = event.target.closest && event.target.closest(".dropzone");
    if (!zone) return;
    event.preventDefault();
    zone.classList.toggle("dragging", type === "dragover");
    if (type === "drop" && event.dataTransfer.files.length) {
      var input = zone.querySelector("input[type=file]");
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
});

// Reception, reuse panel: a document reused from the applicant's store counts as the paper
// received, so ticking "Tái sử dụng" ticks the component's "Nhận" box too.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.dataset || !box.dataset.paper || !box.checked) return;
  var paper = document.getElementById(box.dataset.paper);
  if (paper) paper.checked = true;
});
