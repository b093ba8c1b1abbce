// What the calculator page loads once its first answer is on screen (main.ts imports this module
// dynamically): the charts (uPlot), the comparison of pinned scenarios, the why-panel, the specs
// and sources, and the exports. None of it is fetched, parsed or run before the headline.
export { batchingChart, contextChart, gpuChart, memoryChart, topRows } from './chart-data';
export { ChartView, readPalette } from './chart-view';
export { Comparison } from './compare';
export { chartCsv, chartJson, resultCsv, resultJson } from './exports';
export { gpuSpecs, modelSpecs } from './specs';
export { renderWhy } from './why';
