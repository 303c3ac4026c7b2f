import { MemoryStore } from "../../src/store/memory.ts";
import { storeSuite } from "./suite.ts";

storeSuite("memory", () => new MemoryStore());
