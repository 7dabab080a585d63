// The online submission pages work without JavaScript (the browser's own file inputs). With
// it, each file input becomes a Vietnamese "choose or photograph" box listing the files chosen.
document.documentElement.classList.add("js");
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!input.matches(".pick input[type=file]")) return;
  const names = Array.from(input.files, (file) => file.name);
  input.closest(".pick").querySelector(".chosen").textContent = names.length
    ? `Đã chọn ${names.length} tệp: ${names.join(", ")}`
    : "";
});
