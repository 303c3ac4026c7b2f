// A Lambda handler standing in for a payment service: charges the amount, declines amounts over 1000.
export const handler = async (event) => {
  if (event.amount > 1000) {
    const error = new Error(`amount ${event.amount} is over the card's limit`);
    error.name = "Payments.Declined";
    throw error;
  }
  return { charged: event.amount, currency: "EUR" };
};
