// The shared conformance suite on the cpu backend: the golden vectors, and property tests
// against the spec-literal reference.
import "../src/index.js";
import { describeConformance } from "@tsnpu/conformance";

describeConformance({ device: "cpu", propertyCases: 150 });
