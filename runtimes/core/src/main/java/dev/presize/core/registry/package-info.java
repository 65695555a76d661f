/**
 * The model registry: published {@code presize-model/1} directories per name and version, a {@code current}
 * pointer changed atomically, promotion, rejection and rollback (docs/registry.md). {@link
 * dev.presize.core.registry.ModelRegistry} is the contract; {@link dev.presize.core.registry.FileSystemModelRegistry}
 * the local implementation (the S3 one is in the trainer). JDK only.
 */
package dev.presize.core.registry;
