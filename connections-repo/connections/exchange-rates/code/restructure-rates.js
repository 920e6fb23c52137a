// The API answers {"amount":1,"base":"CNY","date":"2026-11-20","rates":{"USD":0.14,"EUR":0.13}}.
// Outputs want a list of {currency, rate} objects, sorted by currency.
function main(input) {
  const body = input.response.body;
  const rates = Object.keys(body.rates || {}).sort().map(function (currency) {
    return { currency: currency, rate: body.rates[currency] };
  });
  return { date: body.date, base: body.base, rates: rates };
}
