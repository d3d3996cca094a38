export function SellersScreen() {
  return <h1>Sellers</h1>;
}
