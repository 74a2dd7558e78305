/** The URL of the MNIST CNN's ONNX file (a `file:` URL in Node, an http(s) one in a bundle). */
export declare function mnistCnnUrl(): URL;
