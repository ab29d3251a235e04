// How numbers read to people: whole customers, money in the organisation's currency.

export interface NumberFormat {
  locale: string;
  currency: string;
}

export function formatMoney(amount: number, format: NumberFormat): string {
  return new Intl.NumberFormat(format.locale, {
    style: 'currency',
    currency: format.currency,
    maximumFractionDigits: 0,
    minimumFractionDigits: 0,
  }).format(Math.round(amount));
}

export function formatSignedMoney(amount: number, format: NumberFormat): string {
  const rounded = Math.round(amount);
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${formatMoney(Math.abs(rounded), format)}`;
}

export function formatSignedCount(count: number): string {
  return count > 0 ? `+${count}` : count < 0 ? `−${Math.abs(count)}` : '±0';
}

export function customers(count: number): string {
  return `${count} ${Math.abs(count) === 1 ? 'customer' : 'customers'}`;
}
