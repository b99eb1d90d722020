// Core test files share one tfjs per worker; silence its "install tfjs-node" banner before any tensor.
import { silenceTfjsNodeBanner } from '../../app/engine/quiet-tfjs.ts';

silenceTfjsNodeBanner();
