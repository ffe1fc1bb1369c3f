/**
 * chart.js with only the pieces the reports draw (bars and lines, axes, tooltips, legend): the
 * rest of the library stays out of the bundle. Imported only by the lazily loaded chart components.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip);

/** Amounts arrive as decimal strings; the chart only needs their height. */
export const height = (amount) => Number(amount) || 0;

export const COLORS = {
  collected: '#2563eb',
  refunded: '#f59e0b',
  fees: '#94a3b8',
  net: '#16a34a',
  aging: ['#16a34a', '#facc15', '#f59e0b', '#ea580c', '#dc2626'],
};

export function baseOptions(formatTick) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    scales: { y: { beginAtZero: true, ticks: { callback: formatTick } } },
  };
}
