/**
 * The lab's bundler alias for the vega-datasets folder, as the Node type-check sees it: tests
 * that import lab modules (the gradient-descent page's Auto MPG surface) mock it with the real file.
 */
declare module '@vega-data/cars.json' {
  const cars: unknown;
  export default cars;
}
