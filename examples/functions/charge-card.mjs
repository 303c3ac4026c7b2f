// A Lambda handler that charges a card. The first attempt fails with a transient error (to show Retry);
// amounts over 1000 are declined (to show Catch).
export const handler = async ({ orderId, amount, attempt }) => {
  if (attempt === 0) {
    const busy = new Error("The payment service is busy, try again.");
    busy.name = "PaymentServiceUnavailable";
    throw busy;
  }
  if (amount > 1000) {
    const declined = new Error(`The card was declined for ${amount}.`);
    declined.name = "PaymentDeclined";
    throw declined;
  }
  return { orderId, charged: amount, receiptId: `rcpt-${orderId}` };
};
