import { Bar } from 'react-chartjs-2';
import { formatMoney } from '../../../lib/money.js';
import { COLORS, baseOptions, height } from './chartSetup.js';

export const BUCKET_LABELS = {
  current: 'Not yet due',
  '1-30': '1–30 days late',
  '31-60': '31–60 days late',
  '61-90': '61–90 days late',
  '90+': 'Over 90 days late',
};

/** What is owed today, one bar per lateness bucket. */
export default function AgingChart({ buckets, currency }) {
  const data = {
    labels: buckets.map((b) => BUCKET_LABELS[b.bucket] || b.bucket),
    datasets: [{ label: 'Owed', data: buckets.map((b) => height(b.amount)), backgroundColor: COLORS.aging }],
  };
  const options = baseOptions((value) => formatMoney(String(value), currency, 0));
  options.plugins = {
    legend: { display: false },
    tooltip: {
      callbacks: {
        label: (context) => {
          const bucket = buckets[context.dataIndex];
          return `${formatMoney(bucket.amount, currency)} (${bucket.invoices} invoice${bucket.invoices === 1 ? '' : 's'})`;
        },
      },
    },
  };
  return (
    <div className="report-chart" role="img" aria-label="What is owed, by days late">
      <Bar data={data} options={options} />
    </div>
  );
}
