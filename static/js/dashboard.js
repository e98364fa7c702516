// The leader's home charts. Data and translated labels come from the json_script element
// (strict CSP: no inline script); the tables under each chart carry the same figures.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const d = JSON.parse(source.textContent);
  const common = { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } } };
  const ages = document.getElementById("chart-ages");
  if (ages) {
    new Chart(ages, {
      type: "bar",
      data: { labels: d.ages.labels, datasets: [{ label: d.series.overdue, data: d.ages.counts, backgroundColor: "#dc3545" }] },
      options: common,
    });
  }
  const top = document.getElementById("chart-top");
  if (top) {
    new Chart(top, {
      type: "bar",
      data: { labels: d.top.labels, datasets: [{ label: d.series.overdue, data: d.top.counts, backgroundColor: "#fd7e14" }] },
      // Horizontal bars with the scales named outright: with only indexAxis, Chart.js 4.6 kept
      // x as the category axis and drew every bar with zero length (an empty 0–1 chart).
      options: {
        ...common,
        indexAxis: "y",
        scales: {
          x: { type: "linear", beginAtZero: true, ticks: { precision: 0 } },
          y: { type: "category" },
        },
      },
    });
  }
  const trend = document.getElementById("chart-trend");
  if (trend) {
    new Chart(trend, {
      type: "bar",
      data: {
        labels: d.trend.labels,
        datasets: [
          { label: d.series.assigned, data: d.trend.assigned, backgroundColor: "#0d6efd" },
          { label: d.series.on_time, data: d.trend.on_time, backgroundColor: "#198754" },
          { label: d.series.late, data: d.trend.late, backgroundColor: "#ffc107" },
        ],
      },
      options: { ...common, plugins: { legend: { display: true, position: "bottom" } } },
    });
  }
});
