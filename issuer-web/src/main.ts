import "./style.css";
import { start } from "./app.js";

void start();
