export function SellScreen() {
  return <h1>Sell</h1>;
}
