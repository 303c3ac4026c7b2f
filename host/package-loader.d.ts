/** Loads a package synchronously (Node.js), or throws where the host cannot (see no-package-loader.js). */
export declare function loadPackage(name: string): unknown;
