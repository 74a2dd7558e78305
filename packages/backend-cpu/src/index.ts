// @tsnpu/backend-cpu: importing it registers the cpu kernels of every op.
import "./register.js";
