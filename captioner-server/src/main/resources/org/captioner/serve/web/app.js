// The page posts the picture to the JSON API with attention=true and draws each word's attention
// weights over the picture on a canvas. Plain JavaScript: nothing to build.
"use strict";

const form = document.getElementById("caption-form");
const fileInput = document.getElementById("image-file");
const urlInput = document.getElementById("image-url");
const dropZone = document.getElementById("drop-zone");
const statusLine = document.getElementById("status");
const result = document.getElementById("result");
const picture = document.getElementById("picture");
const canvas = document.getElementById("attention");
const captionList = document.getElementById("captions");
let droppedFile = null;
let pictureUrl = null;

fetch("api/v1/models").then(r => r.json()).then(body => {
  const model = body.models[0];
  document.getElementById("model-info").textContent =
    `Model ${model.name}: ${model.family}, backbone ${model.backbone.name}, ${model.vocabulary_size} words.`;
}).catch(() => { document.getElementById("model-info").textContent = "The model description is unavailable."; });

dropZone.addEventListener("dragover", event => { event.preventDefault(); dropZone.classList.add("dragging"); });
dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dragging"));
dropZone.addEventListener("drop", event => {
  event.preventDefault();
  dropZone.classList.remove("dragging");
  if (event.dataTransfer.files.length > 0) {
    droppedFile = event.dataTransfer.files[0];
    setStatus(`Dropped ${droppedFile.name}.`);
  }
});
fileInput.addEventListener("change", () => { droppedFile = null; });

form.addEventListener("submit", async event => {
  event.preventDefault();
  const file = droppedFile || fileInput.files[0];
  const url = urlInput.value.trim();
  if (!file && !url) {
    setStatus("Choose a picture or give its web address first.", true);
    return;
  }
  const options = new URLSearchParams({
    beam: document.getElementById("beam").value,
    n: document.getElementById("count").value,
    attention: "true",
  });
  const request = file
    ? { method: "POST", body: formWith(file) }
    : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ url }) };
  setStatus("Captioning…");
  try {
    const response = await fetch(`api/v1/captions?${options}`, request);
    const body = await response.json();
    if (!response.ok) {
      setStatus(`Refused (${response.status}): ${body.error ? body.error.message : "unknown error"}`, true);
      return;
    }
    await showPicture(file ? URL.createObjectURL(file) : url);
    showCaptions(body);
    setStatus(`Captioned in ${body.timing_ms} ms by ${body.model}.`);
  } catch (error) {
    setStatus("The service could not be reached.", true);
  }
});

function formWith(file) {
  const data = new FormData();
  data.append("image", file);
  return data;
}

function setStatus(text, isError = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle("error", isError);
}

function showPicture(source) {
  if (pictureUrl) URL.revokeObjectURL(pictureUrl);
  pictureUrl = source.startsWith("blob:") ? source : null;
  return new Promise(resolve => {
    picture.onload = resolve;
    picture.onerror = resolve; // a URL the browser cannot show still gets its captions
    picture.src = source;
  });
}

function showCaptions(body) {
  captionList.replaceChildren();
  clearAttention();
  for (const caption of body.captions) {
    const item = document.createElement("li");
    caption.words.forEach((word, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "word";
      button.textContent = word;
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-label", `${word}: show attention`);
      const show = () => drawAttention(caption.attention[index], body.grid);
      button.addEventListener("mouseenter", show);
      button.addEventListener("focus", show);
      button.addEventListener("click", () => {
        document.querySelectorAll(".word[aria-pressed=true]").forEach(b => b.setAttribute("aria-pressed", "false"));
        button.setAttribute("aria-pressed", "true");
        show();
      });
      item.append(button, " ");
    });
    const score = document.createElement("span");
    score.className = "score";
    score.textContent = `log-probability ${caption.score.toFixed(2)}`;
    item.append(score);
    item.dataset.caption = caption.text;
    captionList.append(item);
  }
  result.hidden = false;
}

function clearAttention() {
  canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
}

// Darkens the picture where the word paid little attention, leaving the attended regions bright.
function drawAttention(weights, grid) {
  if (!weights || !grid) return;
  const width = canvas.width = picture.clientWidth;
  const height = canvas.height = picture.clientHeight;
  const context = canvas.getContext("2d");
  const highest = Math.max(...weights) || 1;
  // Cell edges are rounded so that neighboring cells meet without overlapping (no darker seams).
  const edge = (index, cells, size) => Math.round(index * size / cells);
  for (let row = 0; row < grid.height; row++) {
    for (let column = 0; column < grid.width; column++) {
      const strength = weights[row * grid.width + column] / highest;
      const left = edge(column, grid.width, width);
      const top = edge(row, grid.height, height);
      context.fillStyle = `rgba(0, 0, 0, ${0.75 * (1 - strength)})`;
      context.fillRect(left, top, edge(column + 1, grid.width, width) - left, edge(row + 1, grid.height, height) - top);
    }
  }
}
