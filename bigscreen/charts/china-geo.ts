// The province map's GeoJSON: @esmjs/geo (MIT; DataV.GeoAtlas boundaries,
// feature names 北京市 … 澳门特别行政区). main.ts imports this module
// dynamically, so the ~580 kB of outlines are their own chunk, and only
// `china` is bundled (the package is tree-shakeable).
export { china } from '@esmjs/geo';
