// The trend chart of the report page. Its six periods' figures come from their own request,
// asked once the page is shown (the slowest part of the page; issue 27 item 6).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("trend-chart");
  if (!canvas || typeof Chart === "undefined") return;
  fetch(canvas.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((trend) => {
      canvas.dataset.loaded = "true";
      new Chart(canvas, {
        type: "line",
        data: {
          labels: trend.labels,
          datasets: [
            { label: "Tỷ lệ hoàn thành (%)", data: trend.completion, borderColor: "#0d6efd" },
            { label: "Tỷ lệ đúng hạn (%)", data: trend.on_time, borderColor: "#198754" },
          ],
        },
        options: { animation: false, scales: { y: { min: 0, max: 100 } } },
      });
    })
    .catch(() => {
      canvas.dataset.loaded = "failed";
    });
});
