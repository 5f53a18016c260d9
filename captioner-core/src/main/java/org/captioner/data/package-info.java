/**
 * Caption datasets: reading caption files (Flickr8k token files, CSV, COCO annotations, Karpathy splits) into
 * images with their captions and splits.
 *
 * <p>Main types: {@link org.captioner.data.DatasetLoader} (detects the format, reads strictly or leniently),
 * {@link org.captioner.data.Dataset} (the images, their {@link org.captioner.data.Split} and what was skipped as
 * {@link org.captioner.data.LoadProblem}s), {@link org.captioner.data.ImageCaptions} (one image and its captions),
 * {@link org.captioner.data.CaptionReaders} (one reader per {@link org.captioner.data.CaptionFormat}) and
 * {@link org.captioner.data.CaptionJson} (the one image-id rule of the JSON formats).
 *
 * <p>Layer 1 of docs/architecture.md, the bottom: imports no other Captioner package.
 */
package org.captioner.data;
