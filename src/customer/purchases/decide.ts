/** Purchases and refunds: money converted to the base currency, points by the tier held before, idempotent by id. */
import { DomainError, invalid } from '../errors';
import type { Deciders } from '../evolve-types';
import { currencyExponent, isExchangeRate, MAX_AMOUNT, proportion, toBaseAmount } from '../money';
import { POINTS_VALIDITY_DAYS, pointsFor, pointsMultiplier } from '../policies/points';
import type { Rules } from '../rules';
import { consequenceTime } from '../state';
import { addDays } from '../time';
import type { RecordPurchase } from './commands';
import type { PurchaseEvent, PurchaseRecorded } from './events';
import { takeFromLots } from './lots';
import { contentFingerprint, purchaseFingerprint } from './state';

export const purchaseDeciders: Deciders<'RecordPurchase' | 'RefundPurchase'> = {
  RecordPurchase(command, state, rules) {
    const recorded = purchaseRecorded(command, rules);
    const { data } = recorded;
    const knownIndex = state.purchaseIndex[data.purchaseId];
    if (knownIndex !== undefined) {
      if (state.purchases[knownIndex].fingerprint === purchaseFingerprint(data)) return [];
      throw new DomainError('DUPLICATE_PURCHASE', `purchase ${data.purchaseId} was already recorded with other details`);
    }
    const tier = state.loyalty.tier;
    const points = pointsFor(data.baseAmount, currencyExponent(rules.baseCurrency) ?? 2, tier);
    const events: PurchaseEvent[] = [recorded];
    if (points > 0)
      events.push({
        type: 'PointsEarned',
        data: { customerId: data.customerId, purchaseId: data.purchaseId, points, tier, multiplier: pointsMultiplier(tier), expiresAt: addDays(data.occurredAt, POINTS_VALIDITY_DAYS), occurredAt: consequenceTime(state, data.occurredAt) },
      });
    return events;
  },

  RefundPurchase({ data }, state) {
    const fingerprint = contentFingerprint({ purchaseId: data.purchaseId, amount: data.amount, reason: data.reason });
    const known = state.loyalty.refunds[data.refundId];
    if (known !== undefined) {
      if (known.fingerprint === fingerprint) return [];
      throw new DomainError('DUPLICATE_REFUND', `refund ${data.refundId} was already recorded with other details`);
    }
    const purchase = state.purchases[state.purchaseIndex[data.purchaseId] ?? -1];
    if (!purchase) throw new DomainError('PURCHASE_NOT_FOUND', `purchase ${data.purchaseId} does not exist`);
    if (!data.reason.trim()) throw invalid('reason', 'a refund needs a reason');
    if (!Number.isSafeInteger(data.amount) || data.amount <= 0) throw invalid('amount', 'amount must be a positive integer in minor units of the purchase\'s currency');
    const left = purchase.amount - purchase.refundedAmount;
    if (data.amount > left)
      throw new DomainError('REFUND_EXCEEDS_PURCHASE', `purchase ${data.purchaseId} has ${left} ${purchase.currency} (minor units) left to refund, not ${data.amount}`, 'amount', { refundable: left });
    if (data.occurredAt < purchase.occurredAt) throw invalid('occurredAt', 'a refund cannot precede its purchase');

    const refundedTotal = purchase.refundedAmount + data.amount;
    // Cumulative, so that the refunds of a purchase always add up to its base amount.
    const baseAmount = proportion(purchase.baseAmount, refundedTotal, purchase.amount) - purchase.refundedBase;
    const at = consequenceTime(state, data.occurredAt);
    const events: PurchaseEvent[] = [{ type: 'PurchaseRefunded', data: { ...data, baseAmount } }];
    const target = Math.floor((purchase.pointsEarned * refundedTotal) / purchase.amount);
    const owed = target - purchase.pointsReversed;
    if (owed > 0) {
      const lots = takeFromLots(state.loyalty.lots, owed, purchase.purchaseId);
      const points = lots.reduce((sum, take) => sum + take.points, 0);
      events.push({ type: 'PointsReversed', data: { customerId: data.customerId, purchaseId: data.purchaseId, refundId: data.refundId, points, unrecovered: owed - points, lots, occurredAt: at } });
    }
    return events;
  },
};


/** The purchase as it is recorded: amounts checked, line items adding up, the base amount computed. */
function purchaseRecorded({ data }: RecordPurchase, rules: Rules): PurchaseRecorded {
  const exponent = currencyExponent(data.currency);
  if (exponent === null) throw invalid('currency', 'currency must be an ISO-4217 code such as CNY');
  if (!Number.isSafeInteger(data.amount) || data.amount <= 0 || data.amount > MAX_AMOUNT) throw invalid('amount', `amount must be a positive integer in minor units, at most ${MAX_AMOUNT}`);
  data.items.forEach((item, index) => {
    if (!Number.isSafeInteger(item.quantity) || item.quantity <= 0) throw invalid(`items.${index}.quantity`, 'quantity must be a positive integer');
    if (!Number.isSafeInteger(item.amount) || item.amount < 0 || item.amount > MAX_AMOUNT)
      throw invalid(`items.${index}.amount`, 'amount must be a non-negative integer in minor units (the line total)');
  });
  if (data.items.length > 0) {
    const total = data.items.reduce((sum, item) => sum + item.amount, 0);
    if (total !== data.amount) throw invalid('items', `the line totals add up to ${total}, not to the amount ${data.amount}`);
  }
  let exchangeRate = '1';
  if (data.currency === rules.baseCurrency) {
    if (data.exchangeRate !== null && toBaseAmount(1_000_000, data.currency, data.exchangeRate, rules.baseCurrency) !== 1_000_000)
      throw invalid('exchangeRate', `a purchase in the base currency ${rules.baseCurrency} has an exchange rate of 1`);
  } else {
    if (data.exchangeRate === null)
      throw new DomainError('EXCHANGE_RATE_REQUIRED', `a purchase in ${data.currency} needs an exchangeRate (${rules.baseCurrency} per ${data.currency}); the base currency is ${rules.baseCurrency}`, 'exchangeRate');
    if (!isExchangeRate(data.exchangeRate)) throw invalid('exchangeRate', 'exchangeRate must be a positive decimal such as "0.0482"');
    exchangeRate = data.exchangeRate;
  }
  const baseAmount = toBaseAmount(data.amount, data.currency, exchangeRate, rules.baseCurrency);
  if (baseAmount > MAX_AMOUNT) throw invalid('amount', `the amount is worth more than ${MAX_AMOUNT} minor units of ${rules.baseCurrency}`);
  return { type: 'PurchaseRecorded', data: { ...data, exchangeRate, baseAmount } };
}
