package org.captioner.model;

import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.nio.file.Path;

/** What every model family shares: its configuration, a sub-manager of its own holding the parameters, saving and closing. */
abstract class ModelBase implements CaptionModel {
    protected final ModelConfig config;
    protected final NDManager manager;
    protected final ParameterSet parameters;

    /** A freshly initialized model of {@code family} whose parameters live in a new sub-manager of {@code parent}. */
    ModelBase(String family, ModelConfig config, NDManager parent, long seed) {
        if (!family.equals(config.family())) {
            throw new IllegalArgumentException("not a " + family + " config: " + config.family());
        }
        this.config = config;
        this.manager = parent.newSubManager();
        this.parameters = new ParameterSet(manager, seed);
    }

    @Override
    public final ModelConfig config() {
        return config;
    }

    @Override
    public final ParameterSet parameters() {
        return parameters;
    }

    @Override
    public final NDManager manager() {
        return manager;
    }

    @Override
    public final void save(Path directory, WeightPrecision precision) throws IOException {
        ModelFiles.writeConfig(directory, config);
        parameters.save(directory.resolve(ModelFiles.WEIGHTS_FILE), precision);
    }

    @Override
    public final void close() {
        manager.close();
    }
}
