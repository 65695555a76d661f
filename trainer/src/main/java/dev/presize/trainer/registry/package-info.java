/**
 * Model registries outside the core: {@link dev.presize.trainer.registry.S3ModelRegistry}, the
 * {@link dev.presize.core.registry.ModelRegistry} contract over S3 (AWS SDK v2), with the same layout as the
 * filesystem registry (docs/registry.md).
 */
package dev.presize.trainer.registry;
