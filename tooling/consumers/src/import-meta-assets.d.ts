// The plugin ships types its package.json "exports" does not point at (nodenext cannot see them).
declare module "@web/rollup-plugin-import-meta-assets" {
  import type { Plugin } from "rollup";
  export function importMetaAssets(options?: {
    include?: string | string[];
    exclude?: string | string[];
  }): Plugin;
}
