// The trend chart of the report page: data from the json_script element (no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("trend-data");
  const canvas = document.getElementById("trend-chart");
  if (!data || !canvas || typeof Chart === "undefined") return;
  const trend = JSON.parse(data.textContent);
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
});
