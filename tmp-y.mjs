const t=performance.now(); await import(process.env.Y); console.log(process.env.Y, (performance.now()-t).toFixed(1));
