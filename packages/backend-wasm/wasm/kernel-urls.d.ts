/** The URL of the default kernel module: the shared-memory build when `threads`, else the plain one. */
export declare function defaultWasmUrl(threads: boolean): URL;
